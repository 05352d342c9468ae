#!/usr/bin/env bash
# The live page with many pods: PodStatus (published as shipped) seeded with PODS pods, /ui opened in Debian's
# headless Chromium; then status writes stream in while the page is watched for frames and long tasks.
#   bench/live-page.sh [pods, default 100000] [seconds of writes, default 20] [writes per second, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
PODS=${1:-100000}
PORT=5097
OUT=bench/results
mkdir -p "$OUT"
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

dotnet publish src/PodStatus.Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/podstatus" --nologo -v quiet
dotnet publish bench/LivePage -c Release -o "$OUT/livepage" --nologo -v quiet
SEED="$OUT/seed-$PODS.json"
[ -f "$SEED" ] || python3 bench/make-seed.py "$PODS" "$SEED"

ASPNETCORE_URLS=http://127.0.0.1:$PORT Logging__LogLevel__Default=Warning dotnet "$OUT/podstatus/PodStatus.Api.dll" --seed "$SEED" >"$OUT/podstatus-live-page.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/version"; do
  kill -0 $pid 2>/dev/null || { cat "$OUT/podstatus-live-page.log" >&2; exit 1; }
  sleep 0.1
done

dotnet "$OUT/livepage/LivePage.dll" "http://127.0.0.1:$PORT" "$PODS" "${2:-20}" "${3:-1000}"
