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
#   Beside each p99, the share of the time the server was paused for garbage collection: wrk corrects its latencies
#   for coordinated omission (src/wrk.c, stats_correct: a response slower than twice the mean interval between a
#   connection's requests also counts the requests a steady client would have sent meanwhile), so its p99 is the
#   latency exceeded 1% of the time, and a server stopped more than 1% of the time has pauses in its p99.
#   GC_TRACE=1 also records the moving server's collections (the runtime's EventPipe) and prints them by generation
#   with bench/GcTrace: how often, how long, the pause each MB promoted costs, and the time spent marking through cards.
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
[ "${GC_TRACE:-}" != 1 ] || publish_tool GcTrace gctrace
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
gc_paused() { # seconds the server has spent paused for garbage collection (the runtime's own counter)
  curl -sf -A podstatus-bench "http://127.0.0.1:$PORT/metrics" | awk '$1 == "dotnet_gc_pause_seconds_total" {print $2}'
}
load() { # get|put -> "rps p99_ms gc_paused_percent", on a pod no stage moves (its node is not simulated)
  local script=() before after
  [ "$1" = put ] && script=(-s bench/put-status.lua)
  before=$(gc_paused)
  wrk -t1 -c32 -d"${DURATION}s" --latency "${script[@]}" "http://127.0.0.1:$PORT/api/v1/namespaces/default/pods/hello-world" -- "$OUT/status.json" >"$OUT/wrk-simulation.txt"
  after=$(gc_paused)
  if grep -q "Non-2xx\|Socket errors" "$OUT/wrk-simulation.txt"; then cat "$OUT/wrk-simulation.txt" >&2; exit 1; fi
  awk -v before="$before" -v after="$after" -v d="$DURATION" \
    '/Requests\/sec/ {rps=$2} $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v} END {print rps, p99, (after - before) * 100 / d}' "$OUT/wrk-simulation.txt"
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
read -r idle_get_rps idle_get idle_get_gc < <(load get)
read -r idle_put_rps idle_put idle_put_gc < <(load put)
stop
begin=$(date +%s%N)
if [ "${GC_TRACE:-}" = 1 ]; then
  DOTNET_EnableEventPipe=1 DOTNET_EventPipeOutputPath="$OUT/simulation-gc.nettrace" DOTNET_EventPipeRundown=0 \
    DOTNET_EventPipeConfig=Microsoft-Windows-DotNETRuntime:0x1:4 start "$SEED" --Simulation:Enabled=true --Simulation:Nodes=10000
else
  start "$SEED" --Simulation:Enabled=true --Simulation:Nodes=10000
fi
hello
loaded_ms=$(( ($(date +%s%N) - begin) / 1000000 ))
dotnet "$OUT/simulation/Simulation.dll" running "http://127.0.0.1:$PORT" "$SEEDED" >"$OUT/running.txt" &
waiter=$!
read -r moving_get_rps moving_get moving_get_gc < <(load get)
read -r moving_put_rps moving_put moving_put_gc < <(load put)
wait $waiter
echo "  server ready after $loaded_ms ms; $(cat "$OUT/running.txt") after that"
awk -v ig="$idle_get" -v mg="$moving_get" -v ip="$idle_put" -v mp="$moving_put" -v igr="$idle_get_rps" -v mgr="$moving_get_rps" -v ipr="$idle_put_rps" -v mpr="$moving_put_rps" \
  -v igc="$idle_get_gc" -v mgc="$moving_get_gc" -v ipc="$idle_put_gc" -v mpc="$moving_put_gc" 'BEGIN {
  printf "  GET one pod p99: %.2f ms while the pods move (%.0f req/s, GC pauses %.1f%% of the time), %.2f ms without simulation (%.0f req/s, %.1f%%): %.2fx (target <= 3)\n", mg, mgr, mgc, ig, igr, igc, mg / ig
  printf "  PUT pods/status p99: %.2f ms while the pods move (%.0f req/s, GC pauses %.1f%% of the time), %.2f ms without simulation (%.0f req/s, %.1f%%): %.2fx (target <= 3)\n", mp, mpr, mpc, ip, ipr, ipc, mp / ip }'
sleep 5
simulated_rss=$(rss $pid)
curl -sf -A podstatus-bench -o "$OUT/seed-running.json" "http://127.0.0.1:$PORT/api/v1/pods"
stop
if [ "${GC_TRACE:-}" = 1 ]; then
  moved=$(awk '{for (i = 1; i < NF; i++) if ($i == "after") print $(i + 1)}' "$OUT/running.txt")
  echo "  the moving server's collections, from its first answer until every pod was Running:"
  dotnet "$OUT/gctrace/GcTrace.dll" "$OUT/simulation-gc.nettrace" "$((loaded_ms / 1000))" "$(awk -v l="$loaded_ms" -v m="$moved" 'BEGIN {print l / 1000 + m}')" | sed 's/^/    /'
fi
start "$OUT/seed-running.json"
sleep 5
plain_rss=$(rss $pid)
stop
awk -v s="$simulated_rss" -v p="$plain_rss" -v n="$SEEDED" 'BEGIN {
  printf "  RSS %.0f MB simulating, %.0f MB holding the same pods without simulation: the engine adds %.0f bytes per pod\n", s / 1e6, p / 1e6, (s - p) / n }'
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(dotnet --version) SDK"
