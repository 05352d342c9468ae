#!/usr/bin/env bash
# Do lists stall writes? PUT status on one pod, alone and while full lists of every pod run back to back,
# with N seeded pods (bench/make-seed.py). Prints requests/s and p99 of each, and their ratio.
#   bench/list-load.sh [pods, default 200000] [seconds, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
PODS=${1:-200000}
DURATION=${2:-10}
PORT=5094
OUT=bench/results
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

seed="$OUT/seed-$PODS.json"
[ -f "$seed" ] || python3 bench/make-seed.py "$PODS" "$seed"
dotnet publish src/PodStatus.Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/podstatus" --nologo -v quiet

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT
ASPNETCORE_URLS=http://127.0.0.1:$PORT Logging__LogLevel__Default=Warning dotnet "$OUT/podstatus/PodStatus.Api.dll" --seed "$seed" >"$OUT/list-load.log" 2>&1 &
pids+=($!)
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/namespaces/ns-0/pods/pod-0"; do sleep 0.1; done

# The founding pod, created through the API (it gets a uid of its own, so the status writes carry none).
sed '/"resourceVersion"/d' samples/hello-world-pod.json >"$OUT/pod.json"
sed '/"uid"/d' samples/hello-world-status.json >"$OUT/status.json"
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$OUT/pod.json" "http://127.0.0.1:$PORT/api/v1/namespaces/default/pods"

put() { # -> "rps p99_ms"
  wrk -t1 -c32 -d"${DURATION}s" --latency -s bench/put-status.lua "http://127.0.0.1:$PORT" -- "$OUT/status.json" >"$OUT/wrk.txt"
  awk '/Requests\/sec/ {rps=$2} $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v} END {print rps, p99}' "$OUT/wrk.txt"
}

wrk -t1 -c32 -d3s -s bench/put-status.lua "http://127.0.0.1:$PORT" -- "$OUT/status.json" >/dev/null
read -r alone_rps alone_p99 < <(put)
( end=$((SECONDS + DURATION + 2)); n=0
  # Not as curl: curl gets indented JSON, which a client program would not ask for.
  while [ $SECONDS -lt $end ]; do curl -sf -o /dev/null -A podstatus-bench "http://127.0.0.1:$PORT/api/v1/pods"; n=$((n + 1)); done
  echo "$n" >"$OUT/lists.txt" ) &
lister=$!
sleep 1
read -r listed_rps listed_p99 < <(put)
wait $lister
awk -v ar="$alone_rps" -v ap="$alone_p99" -v lr="$listed_rps" -v lp="$listed_p99" -v n="$(cat "$OUT/lists.txt")" -v pods="$PODS" 'BEGIN {
  printf "%d pods; PUT alone: %.0f req/s, p99 %.2f ms; during %d full lists: %.0f req/s, p99 %.2f ms; p99 ratio %.2f (target <= 3)\n",
    pods, ar, ap, n, lr, lp, lp / ap }'
