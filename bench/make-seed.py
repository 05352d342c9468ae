#!/usr/bin/env python3
"""Writes a seed file of N copies of the founding document's pod, under N names across 100 namespaces.

Usage: bench/make-seed.py N OUT.json   (a List, in kubectl's key order: apiVersion, items, kind, metadata)
"""
import json
import sys
import uuid

count, out = int(sys.argv[1]), sys.argv[2]
with open("samples/hello-world-pod.json") as f:
    pod = json.load(f)

with open(out, "w") as f:
    f.write('{"apiVersion":"v1","items":[')
    for i in range(count):
        pod["metadata"]["name"] = f"pod-{i}"
        pod["metadata"]["namespace"] = f"ns-{i % 100}"
        pod["metadata"]["uid"] = str(uuid.UUID(int=i))
        pod["metadata"].pop("resourceVersion", None)
        f.write(("," if i else "") + json.dumps(pod, separators=(",", ":")))
    f.write('],"kind":"List","metadata":{}}')
