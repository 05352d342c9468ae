#!/usr/bin/env python3
"""Writes a seed file of N copies of the founding document's pod, under N names across 100 namespaces. Each pod
also gets a label group=g-K and runs on node node-K, K = i % (N/10), so a selector on either matches 10 pods.

Usage: bench/make-seed.py N OUT.json [NODES]   (a List, in kubectl's key order: apiVersion, items, kind, metadata)
With NODES, pod i runs on node node-(i % NODES) instead (bench/simulation.sh: a million pods on 10,000 nodes).
"""
import json
import sys
import uuid

count, out = int(sys.argv[1]), sys.argv[2]
nodes = int(sys.argv[3]) if len(sys.argv) > 3 else None
with open("samples/hello-world-pod.json") as f:
    pod = json.load(f)
groups = max(1, count // 10)

with open(out, "w") as f:
    f.write('{"apiVersion":"v1","items":[')
    for i in range(count):
        pod["metadata"]["name"] = f"pod-{i}"
        pod["metadata"]["namespace"] = f"ns-{i % 100}"
        pod["metadata"]["uid"] = str(uuid.UUID(int=i))
        pod["metadata"].pop("resourceVersion", None)
        pod["metadata"]["labels"]["group"] = f"g-{i % groups}"
        pod["spec"]["nodeName"] = f"node-{i % (nodes or groups)}"
        f.write(("," if i else "") + json.dumps(pod, separators=(",", ":")))
    f.write('],"kind":"List","metadata":{}}')
