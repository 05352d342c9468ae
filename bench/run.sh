#!/usr/bin/env bash
# What a request costs: server CPU per request (from /proc/PID/stat), throughput and p99 of PodStatus's requests,
# each against a bare Kestrel echo of the status PUT's body measured in the same run (wrk, 1 thread, 32 connections):
#   put     PUT pods/status (the founding document's, two statuses alternating so every PUT is a real write)
#   patch   a strategic merge PATCH of pods/status
#   get     GET one pod
#   list    a list of 500 pods
#   table   the same 500 as a Table page (kubectl get's Accept header, limit=500)
#   watch   one status write fanned out to 100 watchers: CPU per event delivered (bench/WatchFanout)
#   conflict  a status PUT naming a stale resourceVersion, refused with 409 (not run unless named in KINDS)
# The CPU a request costs moves far less with the machine than throughput does: steer by it. Beside it, the bytes a
# request allocates (PodStatus's dotnet_gc_allocated_bytes_total before and after), which the machine does not move.
#   bench/run.sh [seconds per run, default 5] [rounds, default 3]
#   AGAINST=REV bench/run.sh       also REV's build (the merge base: AGAINST=$(git merge-base HEAD origin/main)),
#                                  alternating with this one in every round: the regression check before stopping
#   KINDS="table list" bench/run.sh     only those requests (the echo is always measured)
#   READY_TO_RUN=false bench/run.sh    plain JIT builds, to compare with the shipped ReadyToRun one
#   NATIVE_AOT=1 bench/run.sh          also this tree compiled ahead of time (Native AOT), alternating with the
#                                      shipped build in every round, first answer and first 5 s included
# Shared machines drift from run to run: rounds alternate the servers and the medians are the result.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-5}
ROUNDS=${2:-3}
CONNECTIONS=${CONNECTIONS:-32}
source bench/common.sh
need wrk

rm -rf "$OUT/podstatus"
publish_podstatus
builds=(head)
if [ -n "${AGAINST:-}" ]; then
  publish_against
  builds+=(against)
fi
if [ "${NATIVE_AOT:-}" = 1 ]; then
  publish_native
  builds+=(native)
fi
publish_tool EchoServer echo
publish_tool WatchFanout fanout

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; remove_against; }
trap cleanup EXIT

wait_ready() { # url -> milliseconds until the first 200
  local start=$(date +%s%N)
  until curl -sf -o /dev/null "$1"; do sleep 0.01; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

declare -A port pid
start() { # build, port, dll or native executable
  local run=("$3")
  [[ $3 != *.dll ]] || run=(dotnet "$3")
  ASPNETCORE_URLS=http://127.0.0.1:$2 Logging__LogLevel__Default=Warning "${run[@]}" >"$OUT/run-$1.log" 2>&1 &
  pids+=($!)
  port[$1]=$2
  pid[$1]=$!
}
start head 5092 "$OUT/podstatus/PodStatus.Api.dll"
ready_ms=$(wait_ready "http://127.0.0.1:5092/api/v1/namespaces/default/pods/hello-world")
[ -z "${AGAINST:-}" ] || start against 5093 "$OUT/podstatus-against/PodStatus.Api.dll"
if [ "${NATIVE_AOT:-}" = 1 ]; then
  start native 5095 "$OUT/podstatus-native/PodStatus.Api"
  native_ready_ms=$(wait_ready "http://127.0.0.1:5095/api/v1/namespaces/default/pods/hello-world")
fi
start echo 5091 "$OUT/echo/EchoServer.dll"
echo_ready_ms=$(wait_ready "http://127.0.0.1:5091/")
for build in "${builds[@]}" echo; do wait_ready "http://127.0.0.1:${port[$build]}/version" >/dev/null; done

# 500 pods (the founding document's, renamed) in namespace "bench" for the list and the Table.
for build in "${builds[@]}"; do
  url=http://127.0.0.1:${port[$build]}
  python3 - "$url" <<'EOF'
import json, sys, urllib.request
def post(path, body):
    urllib.request.urlopen(urllib.request.Request(sys.argv[1] + path, json.dumps(body).encode(), {"Content-Type": "application/json"}))
post("/api/v1/namespaces", {"metadata": {"name": "bench"}})
pod = json.load(open("samples/hello-world-pod.json"))
for key in ("uid", "resourceVersion", "creationTimestamp"):
    pod["metadata"].pop(key)
pod["metadata"]["namespace"] = "bench"
for i in range(500):
    pod["metadata"]["name"] = f"bench-{i}"
    post("/api/v1/namespaces/bench/pods", pod)
listed = json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/namespaces/bench/pods"))["items"]
sys.exit(0 if len(listed) == 500 else f"{len(listed)} pods listed in bench, not 500")
EOF
done

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
wrk_args() { # kind, url
  case $1 in
    echo|put) echo "-s bench/put-status.lua $2 -- samples/hello-world-status.json" ;;
    patch) echo "-s bench/patch-status.lua $2" ;;
    conflict) echo "-s bench/conflict-status.lua $2 -- samples/hello-world-status.json" ;;
    get) echo "$2/api/v1/namespaces/default/pods/hello-world" ;;
    list) echo "$2/api/v1/namespaces/bench/pods" ;;
    table) echo "$2/api/v1/namespaces/bench/pods?limit=500" ;;
  esac
}
allocated() { # build -> bytes its process has allocated; 0 where it does not say (the echo, builds before the metric)
  [ "$1" = echo ] && { echo 0; return; }
  curl -sf "http://127.0.0.1:${port[$1]}/metrics" | awk '$1 == "dotnet_gc_allocated_bytes_total" {v = $2} END {printf "%.0f", v}'
}
measure() { # kind, build -> "rps p99_ms µs_per_request bytes_per_request"
  local url=http://127.0.0.1:${port[$2]} header=()
  [ "$1" != table ] || header=(-H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')
  local t0=$(ticks "${pid[$2]}") a0=$(allocated "$2")
  # shellcheck disable=SC2046
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header[@]}" $(wrk_args "$1" "$url") >"$OUT/wrk.txt"
  local t1=$(ticks "${pid[$2]}") a1=$(allocated "$2")
  if [ "$1" != conflict ] && grep -q "Non-2xx" "$OUT/wrk.txt"; then echo "$1 on $2: non-2xx responses:" >&2; cat "$OUT/wrk.txt" >&2; exit 1; fi
  awk -v cpu=$((t1 - t0)) -v bytes=$((a1 - a0)) '
    /requests in/ {n=$1}
    /Requests\/sec/ {rps=$2}
    $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%.0f %.2f %.1f %s\n", rps, p99, cpu * 10000 / n, (bytes > 0 ? sprintf("%.0f", bytes / n) : "-")}' "$OUT/wrk.txt"
}
watch_cost() { # build -> "events/s p99_ms µs_per_event"
  SERVER_PID=${pid[$1]} dotnet "$OUT/fanout/WatchFanout.dll" "http://127.0.0.1:${port[$1]}" "$DURATION" 100 |
    awk '$1=="100" {print $3, $5, $7}'
}

read -r -a kinds <<<"echo ${KINDS:-put patch get list table watch}"

# Warm-up: the JIT's tiers and the pools' first seconds are not what a request costs.
for build in "${builds[@]}"; do
  for kind in "${kinds[@]}"; do [[ $kind == echo || $kind == watch ]] || DURATION=2 measure "$kind" "$build" >/dev/null; done
done
DURATION=2 measure echo echo >/dev/null
: >"$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  for kind in "${kinds[@]}"; do
    # The order of the builds turns every round, so that neither always runs first.
    if [ "$kind" = echo ]; then targets=(echo); elif (( round % 2 )); then targets=("${builds[@]}"); else targets=($(printf '%s\n' "${builds[@]}" | tac)); fi
    for build in "${targets[@]}"; do
      if [ "$kind" = watch ]; then result=$(watch_cost "$build"); else result=$(measure "$kind" "$build"); fi
      echo "$round $kind $build $result" >>"$OUT/rounds.txt"
    done
  done
  echo "round $round of $ROUNDS done" >&2
done

# Medians per kind and build, each as a ratio to the echo's CPU per request.
awk -v builds="${builds[*]}" -v kinds="${kinds[*]}" '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
  }
  { key = $2 " " $3; rps[key] = rps[key] " " $4; p99[key] = p99[key] " " $5; cpu[key] = cpu[key] " " $6; if ($7 ~ /^[0-9]+$/) bytes[key] = bytes[key] " " $7
    at[$1 " " key] = $6 }
  END {
    nk = split(kinds, kind, " ")
    nb = split(builds, b, " ")
    echo = median(cpu["echo echo"])
    printf "%-7s %-8s %10s %9s %11s %9s %10s\n", "request", "build", "per second", "p99 ms", "CPU µs/req", "x echo", "bytes/req"
    for (k = 1; k <= nk; k++) {
      for (i = 1; i <= (kind[k] == "echo" ? 1 : nb); i++) {
        key = kind[k] " " (kind[k] == "echo" ? "echo" : b[i])
        c = median(cpu[key])
        # Rounds whose bytes were not counted (see the README) are left out; the run after one counts double,
        # which the median of the rest outvotes.
        allocated = bytes[key] == "" ? "-" : sprintf("%.0f", median(bytes[key]))
        printf "%-7s %-8s %10.0f %9.2f %11.1f %9.2f %10s\n", kind[k], (kind[k] == "echo" ? "" : b[i]), median(rps[key]), median(p99[key]), c, c / echo, allocated
      }
    }
    print "(watch: events delivered per second and p99 delay from write to delivery, CPU per event delivered; list and table: 500 pods)"
    print "targets: put <= 2x echo, get <= 1x echo"
    # This machine has slow spells of tens of seconds that take both builds alike: a round compares the two
    # within seconds of each other, so the median of the ratios per round is the figure a regression check reads.
    for (i = 2; i <= nb; i++) {
      line = ""
      for (k = 1; k <= nk; k++) {
        if (kind[k] == "echo") continue
        ratios = ""
        for (key in at) if (split(key, f, " ") == 3 && f[2] == kind[k] && f[3] == "head") ratios = ratios " " at[key] / at[f[1] " " kind[k] " " b[i]]
        line = line sprintf("  %s %.3f", kind[k], median(ratios))
      }
      print "CPU per request, head / " b[i] ", median of the ratios per round:" line
    }
  }' "$OUT/rounds.txt"
echo "PodStatus answered its first request ${ready_ms} ms after start, the echo ${echo_ready_ms} ms (both include the runtime's own start-up; target 300 ms)."
[ -z "${native_ready_ms:-}" ] || echo "Compiled ahead of time, PodStatus answered its first request ${native_ready_ms} ms after start."

# Warm from the start: a fresh server put under load at its first answer; its first 5 s against the steady rate.
cold() { # build, port, dll or native executable
  start "cold-$1" "$2" "$3"
  wait_ready "http://127.0.0.1:$2/api/v1/namespaces/default/pods/hello-world" >/dev/null
  wrk -t1 -c"$CONNECTIONS" -d5s -s bench/put-status.lua "http://127.0.0.1:$2" -- samples/hello-world-status.json >"$OUT/wrk-cold.txt"
  kill "${pid[cold-$1]}"
  steady=$(awk -v b="$1" '$2 == "put" && $3 == b {print $4}' "$OUT/rounds.txt" | sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')
  awk -v b="$1" -v steady="$steady" '/Requests\/sec/ {printf "PUT pods/status in the first 5 s of a fresh server (%s): %.0f/s, %.2f of the steady %.0f/s (target >= 0.9)\n", b, $2, $2 / steady, steady}' "$OUT/wrk-cold.txt"
}
if [[ " ${kinds[*]} " == *" put "* ]]; then
  cold head 5094 "$OUT/podstatus/PodStatus.Api.dll"
  [ "${NATIVE_AOT:-}" != 1 ] || cold native 5096 "$OUT/podstatus-native/PodStatus.Api"
fi
