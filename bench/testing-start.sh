#!/usr/bin/env bash
# How fast PodStatus.Testing's server starts inside a test process, against a bare ASP.NET Core server started the
# same way in the same run: the first start in a process (the runtime loading and compiling) and later ones.
#   bench/testing-start.sh [processes, default 3] [later starts each, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
COUNT=${2:-30}
dotnet build bench/TestingStart -c Release --nologo -v quiet
for i in $(seq 1 "$RUNS"); do
  dotnet bench/TestingStart/bin/Release/net10.0/TestingStart.dll bare "$COUNT"
  dotnet bench/TestingStart/bin/Release/net10.0/TestingStart.dll podstatus "$COUNT"
done | tee /dev/stderr | awk '
  { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = v[$1, kv[1]] " " kv[2] } }
  function median(list,   n, a, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return a[int((n + 1) / 2)] }
  END {
    fb = median(v["bare", "first_ms"]); fp = median(v["podstatus", "first_ms"])
    lb = median(v["bare", "start_median_ms"]); lp = median(v["podstatus", "start_median_ms"])
    printf "first start: PodStatus %d ms, bare ASP.NET Core %d ms (%.1fx)\n", fp, fb, fp / fb
    printf "later starts: PodStatus %.1f ms, bare ASP.NET Core %.1f ms (%.1fx)\n", lp, lb, lp / lb
  }'
