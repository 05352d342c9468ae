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
source bench/common.sh

publish_podstatus
publish_tool Heartbeat heartbeat

pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null || true' EXIT
start_podstatus $PORT "$OUT/podstatus-heartbeat.log" --seed none

dotnet "$OUT/heartbeat/Heartbeat.dll" "http://127.0.0.1:$PORT" "$pid" "$NODES" "$SECONDS_PER_PHASE" "$ROUNDS"
