#!/usr/bin/env bash
# Watch fan-out benchmark: PodStatus (published as shipped) and the WatchFanout load tool on loopback.
#   bench/watch.sh [seconds per run, default 10] [watcher counts, default 1,100,1000]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
WATCHERS=${2:-1,100,1000}
PORT=5095
source bench/common.sh

publish_podstatus
publish_tool WatchFanout fanout

pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null || true' EXIT
start_podstatus $PORT "$OUT/podstatus-watch.log" --seed none

echo "every watcher on the namespace:"
dotnet "$OUT/fanout/WatchFanout.dll" "http://127.0.0.1:$PORT" "$SECONDS_PER_RUN" "$WATCHERS"
echo "every watcher with fieldSelector=spec.nodeName=node-1, as kubelets watch:"
dotnet "$OUT/fanout/WatchFanout.dll" "http://127.0.0.1:$PORT" "$SECONDS_PER_RUN" "$WATCHERS" "fieldSelector=spec.nodeName%3Dnode-1"
