#!/usr/bin/env bash
# Heartbeat and event load: PodStatus (published as shipped) with 10,000 nodes renewing their leases every 10 s
# (1,000 writes/s) and an event recorder's create-then-patch storm, against the same status PUTs alone.
#   bench/heartbeat.sh [seconds per phase, default 10] [rounds, default 3] [nodes, default 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_PHASE=${1:-10}
ROUNDS=${2:-3}
NODES=${3:-10000}
PORT=5099
OUT=bench/results
mkdir -p "$OUT"

dotnet publish src/PodStatus.Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/podstatus" --nologo -v quiet
dotnet publish bench/Heartbeat -c Release -o "$OUT/heartbeat" --nologo -v quiet

ASPNETCORE_URLS=http://127.0.0.1:$PORT Logging__LogLevel__Default=Warning dotnet "$OUT/podstatus/PodStatus.Api.dll" --seed none >"$OUT/podstatus-heartbeat.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/version"; do
  kill -0 $pid 2>/dev/null || { cat "$OUT/podstatus-heartbeat.log" >&2; exit 1; }
  sleep 0.05
done

dotnet "$OUT/heartbeat/Heartbeat.dll" "http://127.0.0.1:$PORT" "$pid" "$NODES" "$SECONDS_PER_PHASE" "$ROUNDS"
