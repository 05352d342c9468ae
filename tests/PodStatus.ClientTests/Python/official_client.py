"""Drives PodStatus with the official Kubernetes Python client, as a user of a cluster would.

Usage: python3 official_client.py URL. Prints one line per step; exits non-zero at the first step that fails.
"""
import json
import sys

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
print("done")
