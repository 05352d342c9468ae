#!/usr/bin/env bash
# Scale benchmark: PodStatus (published as shipped) holding a million pods (bench/make-seed.py: the founding
# document's pod under N names in 100 namespaces). Every figure is printed with its baseline from the same run:
#   start-up and load rate   against an empty server's start-up
#   memory                   RSS slope between N/4 and N seeded pods, against the pods' JSON size
#   GET one pod, PUT status  against the same server with one pod (wrk, alternating rounds)
#   PUT p99 during lists     against PUT p99 alone
#   lists, selectors, watch, informer start (bench/Scale): against the echo server sending as many bytes
# Checks as it goes (every write answered 2xx, every list and watch complete) and exits non-zero if one fails.
#   bench/scale.sh [pods, default 1000000] [seconds per load, default 10] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
PODS=${1:-1000000}
DURATION=${2:-10}
ROUNDS=${3:-3}
SMALL=$((PODS / 4))
BIG_PORT=5096
ONE_PORT=5097
ECHO_PORT=5098
source bench/common.sh
need wrk

publish_podstatus
publish_tool EchoServer echo
publish_tool Scale scale
for n in "$SMALL" "$PODS"; do [ -f "$OUT/seed-$n.json" ] || python3 bench/make-seed.py "$n" "$OUT/seed-$n.json"; done

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT
rss() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$1/status"; }
start() { # port seed -> "pid ms": starts PodStatus and waits for its first answer
  local begin=$(date +%s%N) pid
  start_podstatus "$1" "$OUT/scale-$1.log" --seed "$2"
  echo "$pid $(( ($(date +%s%N) - begin) / 1000000 ))"
}

echo "== start-up and memory"
read -r pid empty_ms < <(start $ONE_PORT none); kill $pid; wait $pid 2>/dev/null || true
read -r pid small_ms < <(start $ONE_PORT "$OUT/seed-$SMALL.json"); sleep 2; small_rss=$(rss $pid); kill $pid; wait $pid 2>/dev/null || true
read -r big big_ms < <(start $BIG_PORT "$OUT/seed-$PODS.json"); pids+=($big); sleep 2; big_rss=$(rss $big)
json=$(stat -c %s "$OUT/seed-$PODS.json")
awk -v n=$PODS -v s=$SMALL -v e=$empty_ms -v b=$big_ms -v sm=$small_ms -v sr=$small_rss -v br=$big_rss -v j=$json 'BEGIN {
  printf "empty server ready in %d ms; %d pods in %d ms; %d pods in %d ms: %.0f pods/s (target >= 100000)\n", e, s, sm, n, b, n / ((b - e) / 1000)
  printf "RSS %.0f MB at %d pods, %.0f MB at %d: %.0f bytes per pod, %.2f times its %.0f bytes of JSON (target <= 2)\n",
    sr / 1e6, s, br / 1e6, n, (br - sr) / (n - s), (br - sr) / (n - s) / (j / n), j / n }'

echo "== GET one pod and PUT status: $PODS pods stored against one"
read -r one _ < <(start $ONE_PORT none); pids+=($one)
ASPNETCORE_URLS=http://127.0.0.1:$ECHO_PORT dotnet "$OUT/echo/EchoServer.dll" >"$OUT/echo-scale.log" 2>&1 &
pids+=($!)
sed '/"resourceVersion"/d' samples/hello-world-pod.json >"$OUT/pod.json"
sed '/"uid"/d' samples/hello-world-status.json >"$OUT/status.json"
for port in $BIG_PORT $ONE_PORT; do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$OUT/pod.json" "http://127.0.0.1:$port/api/v1/namespaces/default/pods"
done
load() { # port get|put -> "rps p99_ms"
  local script=()
  [ "$2" = put ] && script=(-s bench/put-status.lua)
  wrk -t1 -c32 -d"${DURATION}s" --latency "${script[@]}" "http://127.0.0.1:$1/api/v1/namespaces/default/pods/hello-world" -- "$OUT/status.json" >"$OUT/wrk-scale.txt"
  if grep -q "Non-2xx\|Socket errors" "$OUT/wrk-scale.txt"; then cat "$OUT/wrk-scale.txt" >&2; exit 1; fi
  awk '/Requests\/sec/ {rps=$2} $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v} END {print rps, p99}' "$OUT/wrk-scale.txt"
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for kind in get put; do
  for port in $BIG_PORT $ONE_PORT; do wrk -t1 -c32 -d3s -s bench/put-status.lua "http://127.0.0.1:$port" -- "$OUT/status.json" >/dev/null; done
  : >"$OUT/scale-rounds.txt"
  for round in $(seq 1 "$ROUNDS"); do
    read -r big_rps _ < <(load $BIG_PORT $kind)
    read -r one_rps _ < <(load $ONE_PORT $kind)
    echo "$big_rps $one_rps" | awk '{print $1 / $2, $1, $2}' >>"$OUT/scale-rounds.txt"
  done
  awk -v k=$kind -v n=$PODS '{printf "  %s round: %.0f req/s with %d pods, %.0f with one: %.2f\n", k, $2, n, $3, $1}' "$OUT/scale-rounds.txt"
  echo "$kind: median ratio $(cut -d' ' -f1 "$OUT/scale-rounds.txt" | median) (target >= 0.9)"
done

echo "== PUT status while full lists of $PODS pods run"
read -r alone_rps alone_p99 < <(load $BIG_PORT put)
( end=$((SECONDS + DURATION + 2)); n=0
  while [ $SECONDS -lt $end ]; do curl -sf -o /dev/null -A podstatus-bench "http://127.0.0.1:$BIG_PORT/api/v1/pods"; n=$((n + 1)); done
  echo "$n" >"$OUT/lists.txt" ) &
lister=$!
sleep 1
read -r listed_rps listed_p99 < <(load $BIG_PORT put)
wait $lister
awk -v ar="$alone_rps" -v ap="$alone_p99" -v lr="$listed_rps" -v lp="$listed_p99" -v n="$(cat "$OUT/lists.txt")" 'BEGIN {
  printf "PUT alone: %.0f req/s, p99 %.2f ms; during %d full lists: %.0f req/s, p99 %.2f ms; p99 ratio %.2f (target <= 3)\n", ar, ap, n, lr, lp, lp / ap }'

echo "== lists, selectors, watch and informer start on $PODS pods"
# The store now holds the founding pod besides the seeded ones.
dotnet "$OUT/scale/Scale.dll" "http://127.0.0.1:$BIG_PORT" "http://127.0.0.1:$ECHO_PORT" $((PODS + 1)) "$big"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(dotnet --version) SDK"
