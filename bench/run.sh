#!/usr/bin/env bash
# Load test: PUT pods/{name}/status on PodStatus against a bare Kestrel echo of the same body, in one run.
# Prints throughput and p99 latency of each, the throughput ratio, and PodStatus's time to first response.
#   bench/run.sh [seconds per run, default 10] [rounds, default 5]
#   READY_TO_RUN=false bench/run.sh    the same against a plain JIT build, to compare with the shipped one
# Shared machines drift from run to run: the rounds alternate the two servers and the medians are the result.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${2:-5}
CONNECTIONS=${CONNECTIONS:-32}
ECHO_PORT=5091
POD_PORT=5092
OUT=bench/results
mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

# Published as the Dockerfile does (ReadyToRun), so the start-up time printed is the shipped one.
rm -rf "$OUT/podstatus"
dotnet publish src/PodStatus.Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=${READY_TO_RUN:-true} -o "$OUT/podstatus" --nologo -v quiet
dotnet publish bench/EchoServer -c Release -o "$OUT/echo" --nologo -v quiet

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT

wait_ready() { # url -> milliseconds until the first 200
  local start=$(date +%s%N)
  until curl -sf -o /dev/null "$1"; do sleep 0.01; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

start_ms=$(date +%s%N)
ASPNETCORE_URLS=http://127.0.0.1:$POD_PORT Logging__LogLevel__Default=Warning dotnet "$OUT/podstatus/PodStatus.Api.dll" >"$OUT/podstatus.log" 2>&1 &
pids+=($!)
ready_ms=$(wait_ready "http://127.0.0.1:$POD_PORT/api/v1/namespaces/default/pods/hello-world")
ASPNETCORE_URLS=http://127.0.0.1:$ECHO_PORT dotnet "$OUT/echo/EchoServer.dll" >"$OUT/echo.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$ECHO_PORT/" >/dev/null

body=samples/hello-world-status.json
run() { # port -> "rps p99_ms"
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/put-status.lua "http://127.0.0.1:$1" -- "$body" >"$OUT/wrk.txt"
  local rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  local p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$OUT/wrk.txt")
  if grep -q "Non-2xx" "$OUT/wrk.txt"; then echo "non-2xx responses:" >&2; cat "$OUT/wrk.txt" >&2; exit 1; fi
  echo "$rps $p99"
}

# Warm both up (JIT, tiered compilation), then alternate so drift affects both alike.
wrk -t1 -c"$CONNECTIONS" -d3s -s bench/put-status.lua "http://127.0.0.1:$ECHO_PORT" -- "$body" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d3s -s bench/put-status.lua "http://127.0.0.1:$POD_PORT" -- "$body" >/dev/null

printf "%-6s %12s %10s %12s %10s %8s %8s\n" round echo_rps echo_p99 pod_rps pod_p99 ratio p99x
: >"$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r echo_rps echo_p99 < <(run $ECHO_PORT)
  read -r pod_rps pod_p99 < <(run $POD_PORT)
  awk -v r="$round" -v er="$echo_rps" -v ep="$echo_p99" -v pr="$pod_rps" -v pp="$pod_p99" \
    'BEGIN { printf "%-6s %12.0f %8.2fms %12.0f %8.2fms %8.2f %8.2f\n", r, er, ep, pr, pp, pr/er, pp/ep }' | tee -a "$OUT/rounds.txt"
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
echo "median throughput ratio (PodStatus/echo): $(awk '{print $6}' "$OUT/rounds.txt" | median)   target >= 0.85"
echo "median p99 ratio (PodStatus/echo):        $(awk '{print $7}' "$OUT/rounds.txt" | median)   target <= 1.25"
echo "PodStatus answered its first request ${ready_ms} ms after start (includes the runtime's own start-up)."
