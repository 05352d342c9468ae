#!/usr/bin/env bash
# The live page with many pods: PodStatus (published as shipped) seeded with PODS pods, /ui opened in Debian's
# headless Chromium; then status writes stream in while the page is watched for frames and long tasks.
#   bench/live-page.sh [pods, default 100000] [seconds of writes, default 20] [writes per second, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
PODS=${1:-100000}
PORT=5097
source bench/common.sh
need chromium

publish_podstatus
publish_tool LivePage livepage
SEED="$OUT/seed-$PODS.json"
[ -f "$SEED" ] || python3 bench/make-seed.py "$PODS" "$SEED"

pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null || true' EXIT
start_podstatus $PORT "$OUT/podstatus-live-page.log" --seed "$SEED"

dotnet "$OUT/livepage/LivePage.dll" "http://127.0.0.1:$PORT" "$PODS" "${2:-20}" "${3:-1000}"
