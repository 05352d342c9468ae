"""Drives PodStatus with the official Kubernetes Python client, as a user of a cluster would.

Usage: python3 official_client.py URL. Prints one line per step; exits non-zero at the first step that fails.
"""
import datetime
import json
import sys
import time

from kubernetes import client, watch
from kubernetes.client.rest import ApiException

configuration = client.Configuration()
configuration.host = sys.argv[1]
api_client = client.ApiClient(configuration)
api = client.CoreV1Api(api_client)


def check(condition, what):
    if not condition:
        sys.exit(f"FAILED: {what}")
    print(f"ok: {what}")


def expect_error(status, call):
    try:
        call()
    except ApiException as error:
        body = json.loads(error.body)
        check(error.status == status and body["kind"] == "Status", f"{status} {body.get('reason')}: {body.get('message')}")
        return body
    sys.exit(f"FAILED: expected {status}, the call succeeded")


def new_pod(name, namespace, app, node):
    return client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, namespace=namespace, labels={"app": app}),
        spec=client.V1PodSpec(node_name=node, containers=[client.V1Container(name="app", image="nginx:1.27")]))


# Namespaces first: a namespaced object is created only in one that exists.
expect_error(404, lambda: api.create_namespaced_pod("python", new_pod("web", "python", "web", "node-1")))
for name in ("python", "other"):
    namespace = api.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    check(namespace.status.phase == "Active" and namespace.spec.finalizers == ["kubernetes"], f"create_namespace {name}")

# Create and read.
created = api.create_namespaced_pod("python", new_pod("web", "python", "web", "node-1"))
check(created.metadata.uid and created.status.phase == "Pending", "create_namespaced_pod sets uid and Pending")
api.create_namespaced_pod("python", new_pod("db", "python", "db", "node-2"))
api.create_namespaced_pod("other", new_pod("web", "other", "web", "node-1"))
pod = api.read_namespaced_pod("web", "python")
check(pod.metadata.resource_version == created.metadata.resource_version, "read_namespaced_pod")

# Replace the status; the same body again is stale.
pod.status.phase = "Running"
pod.status.conditions = [client.V1PodCondition(type="Ready", status="True")]
replaced = api.replace_namespaced_pod_status("web", "python", pod)
check(replaced.status.phase == "Running" and replaced.metadata.resource_version != pod.metadata.resource_version,
      "replace_namespaced_pod_status bumps resourceVersion")
conflict = expect_error(409, lambda: api.replace_namespaced_pod_status("web", "python", pod))
check(conflict["reason"] == "Conflict", "a stale resourceVersion is 409 Conflict")

# Patches. The client picks the content type: a list goes as application/json-patch+json, anything else as
# application/strategic-merge-patch+json (its rest.py); merge patches take choosing the type, as users do.
patched = api.patch_namespaced_pod_status("web", "python", [{"op": "add", "path": "/status/message", "value": "json patch"}])
check(patched.status.message == "json patch", "patch_namespaced_pod_status with application/json-patch+json")
patched = api.patch_namespaced_pod_status("web", "python", {"status": {"message": "strategic"}})
check(patched.status.message == "strategic", "patch_namespaced_pod_status with application/strategic-merge-patch+json")
select = api_client.select_header_content_type
api_client.select_header_content_type = lambda types: "application/merge-patch+json"
patched = api.patch_namespaced_pod_status("web", "python", {"status": {"message": "merge"}})
check(patched.status.message == "merge", "patch_namespaced_pod_status with application/merge-patch+json")
api_client.select_header_content_type = select

# Lists with selectors, in a namespace and across namespaces.
names = lambda pods: sorted(f"{p.metadata.namespace}/{p.metadata.name}" for p in pods.items)
check(names(api.list_namespaced_pod("python", label_selector="app=web")) == ["python/web"], "label selector")
check(names(api.list_namespaced_pod("python", field_selector="spec.nodeName=node-2")) == ["python/db"], "field selector")
check(names(api.list_pod_for_all_namespaces(label_selector="app=web")) == ["other/web", "python/web"], "across namespaces")
check(names(api.list_pod_for_all_namespaces(field_selector="status.phase=Running")) == ["python/web"], "status.phase selector")

# Watch from a list's resourceVersion: the client sends watch=True, which is a watch.
listed = api.list_namespaced_pod("python")
api.patch_namespaced_pod_status("web", "python", [{"op": "replace", "path": "/status/phase", "value": "Succeeded"}])
stream = watch.Watch()
event = next(iter(stream.stream(api.list_namespaced_pod, "python", resource_version=listed.metadata.resource_version, timeout_seconds=10)))
stream.stop()
check(event["type"] == "MODIFIED" and event["object"].status.phase == "Succeeded", "watch.Watch().stream sees the status change")

# Delete: a terminated pod goes at once.
deleted = api.delete_namespaced_pod("web", "python")
check(deleted.metadata.name == "web", "delete_namespaced_pod")
expect_error(404, lambda: api.read_namespaced_pod("web", "python"))
# Delete a collection: what the selector selects, each as a delete of it would (grace 0 here, as the pod is on a node).
api.create_namespaced_pod("python", new_pod("cache", "python", "cache", "node-2"))
api.delete_collection_namespaced_pod("python", label_selector="app=cache", grace_period_seconds=0)
check([p.metadata.name for p in api.list_namespaced_pod("python").items] == ["db"], "delete_collection_namespaced_pod")
# Nodes: a kubelet registers, reports its status by strategic merge patch (conditions merged by type), and is cordoned.
api.create_node(client.V1Node(
    metadata=client.V1ObjectMeta(name="node-1", labels={"kubernetes.io/hostname": "node-1"}),
    status=client.V1NodeStatus(conditions=[client.V1NodeCondition(type="MemoryPressure", status="False"),
                                           client.V1NodeCondition(type="Ready", status="False")])))
listed_nodes = api.list_node()
node_stream = watch.Watch()
node_events = node_stream.stream(api.list_node, resource_version=listed_nodes.metadata.resource_version, timeout_seconds=10)
reported = api.patch_node_status("node-1", {"status": {"conditions": [{"type": "Ready", "status": "True"}],
                                                       "nodeInfo": {"kubeletVersion": "v1.33.0"}}})
check([f"{c.type} {c.status}" for c in reported.status.conditions] == ["MemoryPressure False", "Ready True"],
      "patch_node_status merges conditions by type")
event = next(iter(node_events))
node_stream.stop()
check(event["type"] == "MODIFIED" and event["object"].status.node_info.kubelet_version == "v1.33.0",
      "watch.Watch().stream(list_node) sees the status report")
api.patch_node("node-1", {"spec": {"unschedulable": True}})
check([n.metadata.name for n in api.list_node(field_selector="spec.unschedulable=true").items] == ["node-1"],
      "list_node with field selector spec.unschedulable")
check(api.read_node_status("node-1").spec.unschedulable is True, "read_node_status")
expect_error(422, lambda: api.create_node(client.V1Node(metadata=client.V1ObjectMeta(name="Node_1"))))

# Events: written as core/v1, read as events.k8s.io/v1, listed by the object they regard. With an eventTime, as
# recorders write today (and so, as upstream's validation asks then, with an action and who reported it): the client's
# EventsV1Event refuses an event without one (eventTime: null, from any cluster).
events_api = client.EventsV1Api(api_client)
event_time = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc)
api.create_namespaced_event("python", client.CoreV1Event(
    metadata=client.V1ObjectMeta(name="db.1"), event_time=event_time,
    involved_object=client.V1ObjectReference(api_version="v1", kind="Pod", name="db", namespace="python"),
    reason="Scheduled", message="Successfully assigned python/db to node-2", type="Normal", action="Binding",
    reporting_component="default-scheduler", reporting_instance="default-scheduler-node-2",
    source=client.V1EventSource(component="default-scheduler"), count=1))
recorded = events_api.read_namespaced_event("db.1", "python")
check(recorded.regarding.name == "db" and recorded.note == "Successfully assigned python/db to node-2"
      and recorded.deprecated_count == 1 and recorded.event_time == event_time, "read_namespaced_event as events.k8s.io/v1")
check([e.metadata.name for e in api.list_namespaced_event("python", field_selector="involvedObject.name=db").items] == ["db.1"],
      "list_namespaced_event with field selector involvedObject.name")
expect_error(422, lambda: events_api.create_namespaced_event("python", client.EventsV1Event(
    metadata=client.V1ObjectMeta(name="db.2"), regarding=client.V1ObjectReference(kind="Pod", name="db"),
    reason="Pulled", type="Normal", action="Pulling", event_time=event_time, reporting_instance="node-2")))

# The deprecated watch path the client's own API no longer has, read as a stream of JSON lines.
response = api_client.call_api(
    "/api/v1/watch/namespaces/{namespace}/events", "GET", path_params={"namespace": "python"},
    query_params=[("timeoutSeconds", "1")], _preload_content=False)
lines = [json.loads(line) for line in response[0].data.decode().splitlines() if line]
check([(e["type"], e["object"]["metadata"]["name"]) for e in lines] == [("ADDED", "db.1")],
      "GET /api/v1/watch/namespaces/python/events streams the namespace's events")

# Deleting a namespace empties it, then it goes.
# The pod in it is on a node, so the namespace controller deletes it gracefully; a kubelet confirms with grace 0.
api.delete_namespace("other")
check(api.read_namespace("other").status.phase == "Terminating", "delete_namespace marks it Terminating")
for _ in range(100):
    if api.read_namespaced_pod("web", "other").metadata.deletion_timestamp:
        break
    time.sleep(0.1)
check(api.read_namespaced_pod("web", "other").metadata.deletion_timestamp, "the namespace controller deletes its pod gracefully")
api.delete_namespaced_pod("web", "other", grace_period_seconds=0)
for _ in range(100):
    try:
        api.read_namespace("other")
        time.sleep(0.1)
    except ApiException as error:
        check(error.status == 404, "the namespace controller empties the namespace, then removes it")
        break
else:
    sys.exit("FAILED: namespace other still there after 10 s")
expect_error(404, lambda: api.read_namespaced_pod("web", "other"))
print("done")
