#!/usr/bin/env bash
# PodStatus on etcd: PUT pods/{name}/status through PodStatus against the same compare-and-swap transactions sent
# straight to etcd with dotnet-etcd (bench/EtcdTxn: same value size, same concurrency), in one run; then GET
# throughput through one replica against two replicas on the same etcd.
#   bench/etcd.sh [seconds per run, default 10] [rounds, default 3]
# Needs etcd (Debian's etcd-server) and wrk. etcd keeps its data in a temporary directory on disk, as it would.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${2:-3}
CONNECTIONS=${CONNECTIONS:-32}
source bench/common.sh
need wrk
need etcd etcd-server

rm -rf "$OUT/podstatus"
publish_podstatus
publish_tool EtcdTxn etcdtxn

data=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

ETCD=http://127.0.0.1:23791
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
etcd --name bench --data-dir "$data/etcd" --listen-client-urls $ETCD --advertise-client-urls $ETCD \
  --listen-peer-urls http://127.0.0.1:23801 --initial-advertise-peer-urls http://127.0.0.1:23801 \
  --initial-cluster bench=http://127.0.0.1:23801 >"$OUT/etcd.log" 2>&1 &
pids+=($!)
etcd_pid=$!
until curl -sf $ETCD/health >/dev/null; do sleep 0.1; done

replica() { # port
  ASPNETCORE_URLS=http://127.0.0.1:$1 Logging__LogLevel__Default=Warning Storage__Backend=Etcd Storage__Etcd__Endpoints=$ETCD \
    dotnet "$OUT/podstatus/PodStatus.Api.dll" >"$OUT/podstatus-$1.log" 2>&1 &
  pids+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$1/readyz"; do sleep 0.05; done
}
replica 5093
podstatus_pid=${pids[-1]}

# One pod per connection, as kubelets each write their own (bench-0 .. bench-N-1, the founding document's pod renamed).
body=samples/hello-world-status.json
for k in $(seq 0 $((CONNECTIONS - 1))); do
  sed -e "s/\"name\": \"hello-world\"/\"name\": \"bench-$k\"/" -e '/"resourceVersion"/d' samples/hello-world-pod.json |
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @- http://127.0.0.1:5093/api/v1/namespaces/default/pods
done
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
# Each prints its rate, then the CPU per write of etcd and of PodStatus (µs, from /proc): who takes the two cores.
put() { # -> writes/s through PodStatus, etcd µs/write, PodStatus µs/write
  local e0=$(ticks $etcd_pid) p0=$(ticks $podstatus_pid)
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/put-status-many.lua http://127.0.0.1:5093 -- "$body" "$CONNECTIONS" >"$OUT/wrk.txt"
  local e1=$(ticks $etcd_pid) p1=$(ticks $podstatus_pid)
  if grep -q "Non-2xx" "$OUT/wrk.txt"; then cat "$OUT/wrk.txt" >&2; exit 1; fi
  awk -v e=$((e1 - e0)) -v p=$((p1 - p0)) '/requests in/ {n = $1} /Requests\/sec/ {r = $2} END {printf "%s %.0f %.0f\n", r, e * 10000 / n, p * 10000 / n}' "$OUT/wrk.txt"
}
raw() { # -> transactions/s, etcd µs/transaction
  local e0=$(ticks $etcd_pid) rate
  rate=$(dotnet "$OUT/etcdtxn/EtcdTxn.dll" $ETCD /registry/pods/default/bench-0 "$CONNECTIONS" "$DURATION")
  local e1=$(ticks $etcd_pid)
  awk -v r="$rate" -v e=$((e1 - e0)) -v d="$DURATION" 'BEGIN {printf "%s %.0f\n", r, e * 10000 / (r * d)}'
}

# Warm up both, then alternate so the machine's drift affects both alike.
DURATION=5 put >/dev/null
DURATION=5 raw >/dev/null
printf "%-6s %14s %14s %8s %16s %16s %19s\n" round raw_txn_per_s podstatus_put_s ratio etcd_us_per_txn etcd_us_per_put podstatus_us_per_put
: >"$OUT/etcd-rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r r re <<<"$(raw)"
  read -r p pe pp <<<"$(put)"
  awk -v n="$round" -v r="$r" -v p="$p" -v re="$re" -v pe="$pe" -v pp="$pp" \
    'BEGIN { printf "%-6s %14.0f %14.0f %8.2f %16s %16s %19s\n", n, r, p, p/r, re, pe, pp }' | tee -a "$OUT/etcd-rounds.txt"
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
echo "median PUT status through PodStatus / raw etcd transactions: $(awk '{print $4}' "$OUT/etcd-rounds.txt" | median)   aim >= 0.8"

# Reads: GET one pod through one replica, then through two (half the connections each), same total load.
get() { wrk -t1 -c"$2" -d"${DURATION}s" "http://127.0.0.1:$1/api/v1/namespaces/default/pods/hello-world" >"$OUT/get-$1.txt"; rps "$OUT/get-$1.txt"; }
one=$(get 5093 "$CONNECTIONS")
replica 5094
get 5093 $((CONNECTIONS / 2)) >/dev/null & first=$!
two_b=$(get 5094 $((CONNECTIONS / 2)))
wait $first
two_a=$(rps "$OUT/get-5093.txt")
awk -v one="$one" -v a="$two_a" -v b="$two_b" 'BEGIN { printf "GET through one replica: %.0f/s; through two: %.0f/s (%.2fx)\n", one, a + b, (a + b) / one }'
