#!/usr/bin/env bash
# Publishes the server compiled ahead of time (Native AOT) to OUTPUT (default artifacts/native): one executable,
# PodStatus.Api, that starts in about a tenth of a second. It needs clang and zlib's headers (Debian: clang,
# zlib1g-dev) and takes a few minutes. The sources are copied first, so its intermediate files do not mix with the
# ordinary build's. It is built for this machine's platform. The client library's and Swashbuckle's own trim warnings
# are left as warnings: the types they read by reflection are kept (src/PodStatus.Api/NativeAotRoots.xml), and the
# HTTP tests, run against the executable, prove it.
#   scripts/publish-native.sh [OUTPUT]
#   PODSTATUS_NATIVE=OUTPUT/PodStatus.Api dotnet test tests/PodStatus.Api.NativeTests
set -euo pipefail
OUTPUT=$(realpath -m "${1:-$(dirname "$0")/../artifacts/native}")
cd "$(dirname "$0")/.."
SOURCES=$(mktemp -d)
trap 'rm -rf "$SOURCES"' EXIT
tar -c --exclude=bin --exclude=obj src samples Directory.Build.props Directory.Packages.props global.json | tar -x -C "$SOURCES"
rm -rf "$OUTPUT"
dotnet publish "$SOURCES/src/PodStatus.Api" -c Release --use-current-runtime -p:PublishAot=true -p:PublishReadyToRun=false \
  -p:TreatWarningsAsErrors=false -o "$OUTPUT" --nologo -v quiet -clp:ErrorsOnly >&2
echo "$OUTPUT/PodStatus.Api"
