#!/usr/bin/env bash
# Watch fan-out benchmark: PodStatus (published as shipped) and the WatchFanout load tool on loopback.
#   bench/watch.sh [seconds per run, default 10] [watcher counts, default 1,100,1000]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
WATCHERS=${2:-1,100,1000}
PORT=5095
OUT=bench/results
mkdir -p "$OUT"

dotnet publish src/PodStatus.Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/podstatus" --nologo -v quiet
dotnet publish bench/WatchFanout -c Release -o "$OUT/fanout" --nologo -v quiet

ASPNETCORE_URLS=http://127.0.0.1:$PORT Logging__LogLevel__Default=Warning dotnet "$OUT/podstatus/PodStatus.Api.dll" --seed none >"$OUT/podstatus-watch.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/version"; do sleep 0.05; done

echo "every watcher on the namespace:"
dotnet "$OUT/fanout/WatchFanout.dll" "http://127.0.0.1:$PORT" "$SECONDS_PER_RUN" "$WATCHERS"
echo "every watcher with fieldSelector=spec.nodeName=node-1, as kubelets watch:"
dotnet "$OUT/fanout/WatchFanout.dll" "http://127.0.0.1:$PORT" "$SECONDS_PER_RUN" "$WATCHERS" "fieldSelector=spec.nodeName%3Dnode-1"
