#!/usr/bin/env bash
# Heartbeat and event load: PodStatus (published as shipped) with 10,000 nodes renewing their leases every 10 s
# (1,000 writes/s) and an event recorder's create-then-patch storm, against the same status PUTs alone.
#   bench/heartbeat.sh [seconds per phase, default 10] [rounds, default 3] [nodes, default 10000]
#   AGAINST=REV bench/heartbeat.sh 10 6   also REV's build: RUNS runs of each (default 3), the builds taking turns,
#                                         since one run's ratio moves more with the machine than most changes move it
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_PHASE=${1:-10}
ROUNDS=${2:-3}
NODES=${3:-10000}
PORT=5099
source bench/common.sh

publish_podstatus
builds=("$OUT/podstatus")
if [ -n "${AGAINST:-}" ]; then
  publish_against
  builds+=("$OUT/podstatus-against")
fi
publish_tool Heartbeat heartbeat

pid=
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  remove_against
}
trap cleanup EXIT
runs=${RUNS:-1}
[ -z "${AGAINST:-}" ] || runs=${RUNS:-3}
for run in $(seq 1 "$runs"); do
  for build in "${builds[@]}"; do
    [ ${#builds[@]} -eq 1 ] || echo "== run $run: ${build#"$OUT/"}"
    PODSTATUS_DLL="$build/PodStatus.Api.dll" start_podstatus $PORT "$OUT/podstatus-heartbeat.log" --seed none
    dotnet "$OUT/heartbeat/Heartbeat.dll" "http://127.0.0.1:$PORT" "$pid" "$NODES" "$SECONDS_PER_PHASE" "$ROUNDS"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
  done
done
