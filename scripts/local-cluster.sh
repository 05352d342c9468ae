#!/usr/bin/env bash
# A local cluster on loopback: three etcd members and two PodStatus replicas sharing them.
#   scripts/local-cluster.sh            start it; Ctrl+C stops everything and removes etcd's data
# PodStatus listens on http://127.0.0.1:8081 and :8082 (put a load balancer in front, or use either);
# etcd's members on http://127.0.0.1:2379, :22379 and :32379. Needs etcd (Debian's etcd-server) and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v etcd >/dev/null || { echo "etcd is not installed (Debian: apt-get install etcd-server)" >&2; exit 1; }

data=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT INT TERM

cluster=m1=http://127.0.0.1:2380,m2=http://127.0.0.1:22380,m3=http://127.0.0.1:32380
endpoints=http://127.0.0.1:2379,http://127.0.0.1:22379,http://127.0.0.1:32379
for member in "m1 2379 2380" "m2 22379 22380" "m3 32379 32380"; do
  read -r name client peer <<<"$member"
  etcd --name "$name" --data-dir "$data/$name" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "$cluster" --initial-cluster-state new >"$data/$name.log" 2>&1 &
  pids+=($!)
done
until curl -sf http://127.0.0.1:2379/health | grep -q '"health":"true"'; do sleep 0.2; done
echo "etcd: $endpoints (logs in $data)"

dotnet build src/PodStatus.Api -c Release --nologo -v quiet
for port in 8081 8082; do
  dotnet src/PodStatus.Api/bin/Release/net10.0/PodStatus.Api.dll --urls "http://127.0.0.1:$port" \
    --Storage:Backend=Etcd --Storage:Etcd:Endpoints="$endpoints" >"$data/podstatus-$port.log" 2>&1 &
  pids+=($!)
done
for port in 8081 8082; do
  until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.1; done
  echo "PodStatus: http://127.0.0.1:$port"
done
echo "Ctrl+C stops the cluster."
wait
