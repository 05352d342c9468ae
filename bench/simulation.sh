#!/usr/bin/env bash
# Simulation benchmark: pods moved by KWOK's stages inside PodStatus (published as shipped), each figure beside its
# baseline from the same run:
#   1. PODS pods created by a client on 1,000 simulated nodes with the default (zero-delay) stages and scheduling
#      off (the pods name their node), 100 kubelet-style informers attached (one node's pods each): how long until
#      every pod is Running and Ready, against the same creates on a server that does not simulate.
#   2. SEEDED pods loaded on 10,000 simulated nodes (the nodes renew their leases, 1,000 writes/s): how long until
#      every one is Running; GET one pod and PUT pods/status p99 meanwhile, against the same seed on a server that
#      does not simulate; resident memory the engine adds per pod, against a server loaded with the same pods as they
#      end up (the simulated server's own list, as a seed).
#   bench/simulation.sh [pods, default 100000] [seeded pods, default 1000000] [seconds per load, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
PODS=${1:-100000}
SEEDED=${2:-1000000}
DURATION=${3:-10}
PORT=5093
source bench/common.sh
need wrk

publish_podstatus
publish_tool Simulation simulation
SEED="$OUT/seed-$SEEDED-nodes-10000.json"
[ -f "$SEED" ] || python3 bench/make-seed.py "$SEEDED" "$SEED" 10000

pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT
rss() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$1/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
start() { # seed settings... : starts PodStatus and waits for its first answer
  local seed=$1
  shift
  start_podstatus $PORT "$OUT/simulation-server.log" --seed "$seed" "$@"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
load() { # get|put -> "rps p99_ms", on a pod no stage moves (its node is not simulated)
  local script=()
  [ "$1" = put ] && script=(-s bench/put-status.lua)
  wrk -t1 -c32 -d"${DURATION}s" --latency "${script[@]}" "http://127.0.0.1:$PORT/api/v1/namespaces/default/pods/hello-world" -- "$OUT/status.json" >"$OUT/wrk-simulation.txt"
  if grep -q "Non-2xx\|Socket errors" "$OUT/wrk-simulation.txt"; then cat "$OUT/wrk-simulation.txt" >&2; exit 1; fi
  awk '/Requests\/sec/ {rps=$2} $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v} END {print rps, p99}' "$OUT/wrk-simulation.txt"
}
sed '/"resourceVersion"/d' samples/hello-world-pod.json >"$OUT/pod.json"
sed '/"uid"/d' samples/hello-world-status.json >"$OUT/status.json"
hello() { curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$OUT/pod.json" "http://127.0.0.1:$PORT/api/v1/namespaces/default/pods"; }

echo "== $PODS pods created by a client on 1,000 simulated nodes, 100 kubelet informers attached"
start none
c0=$(cpu $pid); dotnet "$OUT/simulation/Simulation.dll" create "http://127.0.0.1:$PORT" "$PODS" 1000 100 | sed 's/^/  without simulation: /'; c1=$(cpu $pid)
stop
echo "  server CPU without simulation: $(( (c1 - c0) / 100 )) s"
start none --Simulation:Enabled=true --Simulation:Nodes=1000
until curl -sf -A podstatus-bench "http://127.0.0.1:$PORT/api/v1/nodes/node-999" | grep -q '"phase":"Running"'; do sleep 0.2; done
c0=$(cpu $pid); dotnet "$OUT/simulation/Simulation.dll" create "http://127.0.0.1:$PORT" "$PODS" 1000 100 simulated | sed 's/^/  simulated: /'; c1=$(cpu $pid)
echo "  server CPU simulated: $(( (c1 - c0) / 100 )) s (target: every pod Ready within 20 s)"
stop

echo "== $SEEDED seeded pods on 10,000 simulated nodes"
start "$SEED"; hello
read -r idle_get_rps idle_get < <(load get)
read -r idle_put_rps idle_put < <(load put)
stop
begin=$(date +%s%N)
start "$SEED" --Simulation:Enabled=true --Simulation:Nodes=10000; hello
loaded_ms=$(( ($(date +%s%N) - begin) / 1000000 ))
dotnet "$OUT/simulation/Simulation.dll" running "http://127.0.0.1:$PORT" "$SEEDED" >"$OUT/running.txt" &
waiter=$!
read -r moving_get_rps moving_get < <(load get)
read -r moving_put_rps moving_put < <(load put)
wait $waiter
echo "  server ready after $loaded_ms ms; $(cat "$OUT/running.txt") after that"
awk -v ig="$idle_get" -v mg="$moving_get" -v ip="$idle_put" -v mp="$moving_put" -v igr="$idle_get_rps" -v mgr="$moving_get_rps" -v ipr="$idle_put_rps" -v mpr="$moving_put_rps" 'BEGIN {
  printf "  GET one pod p99: %.2f ms while the pods move (%.0f req/s), %.2f ms without simulation (%.0f req/s): %.2fx (target <= 3)\n", mg, mgr, ig, igr, mg / ig
  printf "  PUT pods/status p99: %.2f ms while the pods move (%.0f req/s), %.2f ms without simulation (%.0f req/s): %.2fx (target <= 3)\n", mp, mpr, ip, ipr, mp / ip }'
sleep 5
simulated_rss=$(rss $pid)
curl -sf -A podstatus-bench -o "$OUT/seed-running.json" "http://127.0.0.1:$PORT/api/v1/pods"
stop
start "$OUT/seed-running.json"
sleep 5
plain_rss=$(rss $pid)
stop
awk -v s="$simulated_rss" -v p="$plain_rss" -v n="$SEEDED" 'BEGIN {
  printf "  RSS %.0f MB simulating, %.0f MB holding the same pods without simulation: the engine adds %.0f bytes per pod\n", s / 1e6, p / 1e6, (s - p) / n }'
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(dotnet --version) SDK"
