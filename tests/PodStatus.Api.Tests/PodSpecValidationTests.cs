using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>
/// Upstream's ValidatePodSpec: the containers (ports, env, envFrom, volume mounts, resources, probes and lifecycle
/// handlers), the volumes and the pod's own fields, with the v1 defaults they rely on. What a real kube-apiserver
/// refuses, PodStatus refuses with the same message, so a controller tested here does not fail on a cluster.
/// </summary>
public sealed class PodSpecValidationTests : ServerTest
{
    /// <summary>A JSON object merged into the pod's one container, and the whole message upstream answers with.</summary>
    public static TheoryData<string, string> InvalidContainers => new()
    {
        // Go decodes a null element of []ContainerPort as a zero port.
        { """{"ports":[null]}""", "spec.containers[0].ports[0].containerPort: Required value" },
        {
            """{"ports":[{"containerPort":70000,"hostPort":-1,"protocol":"tcp"}]}""",
            "[spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, " +
            "spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive, " +
            "spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"]"
        },
        {
            """{"ports":[{"containerPort":80,"name":"Web_Port"},{"containerPort":81,"name":"metrics"},{"containerPort":82,"name":"metrics"}]}""",
            "[spec.containers[0].ports[0].name: Invalid value: \"Web_Port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), " +
            "spec.containers[0].ports[2].name: Duplicate value: \"metrics\"]"
        },
        {
            """{"ports":[{"containerPort":80,"hostPort":8080},{"containerPort":81,"hostPort":8080}]}""",
            "spec.containers[0].ports[1].hostPort: Duplicate value: \"TCP//8080\""
        },
        {
            """{"env":[{"name":""},{"name":"A=B"},{"name":"POD","value":"x","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},{"name":"EMPTY","valueFrom":{}}]}""",
            "[spec.containers[0].env[0].name: Required value, " +
            "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '=', " +
            "spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty, " +
            "spec.containers[0].env[3].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`]"
        },
        {
            """{"env":[{"name":"PHASE","valueFrom":{"fieldRef":{"fieldPath":"status.phase"}}},{"name":"NOPE","valueFrom":{"fieldRef":{"fieldPath":"spec.containers"}}}]}""",
            "[spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", " +
            "\"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", " +
            "\"status.podIP\", \"status.podIPs\", " +
            "spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.containers\": error converting fieldPath: field label not supported: spec.containers]"
        },
        {
            """{"env":[{"name":"KEY","valueFrom":{"configMapKeyRef":{"name":"settings","key":"a/b"},"secretKeyRef":{"name":"creds","key":"token"}}}]}""",
            "[spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, " +
            "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+'), " +
            "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not have more than one field specified at a time]"
        },
        { """{"envFrom":[{"prefix":"APP_"}]}""", "spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`" },
        {
            """{"volumeMounts":[{"name":"missing","mountPath":"/data"},{"name":"missing","mountPath":"/data"}]}""",
            "[spec.containers[0].volumeMounts[0].name: Not found: \"missing\", spec.containers[0].volumeMounts[1].name: Not found: \"missing\", " +
            "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique]"
        },
        { """{"resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}""", "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1" },
        {
            """{"resources":{"requests":{"example.com/gpu":"1"}}}""",
            "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"
        },
        {
            """{"resources":{"requests":{"gpu":"1","memory":"-1"}}}""",
            "[spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified, " +
            "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers, " +
            "spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be greater than or equal to 0]"
        },
        { """{"livenessProbe":{"periodSeconds":5}}""", "spec.containers[0].livenessProbe: Required value: must specify a handler type" },
        { """{"startupProbe":{"tcpSocket":{}}}""", "spec.containers[0].startupProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive" },
        {
            """{"livenessProbe":{"exec":{"command":["true"]},"tcpSocket":{"port":80},"successThreshold":2}}""",
            "[spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type, " +
            "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1]"
        },
        {
            """{"readinessProbe":{"httpGet":{"port":"Http","scheme":"FTP"},"terminationGracePeriodSeconds":5}}""",
            "[spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"Http\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), " +
            "spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\", " +
            "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes]"
        },
        {
            """{"lifecycle":{"preStop":{"sleep":{"seconds":60}}}}""",
            "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)"
        },
        { """{"image":" nginx"}""", "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace" },
        {
            """{"volumeMounts":[{"name":"data","mountPath":"/d","subPath":"../x","mountPropagation":"Bidirectional"}],"securityContext":{"runAsGroup":-5,"procMount":"Unmasked","seccompProfile":{"type":"Bogus"}}}""",
            "[spec.containers[0].volumeMounts[0].name: Not found: \"data\", " +
            "spec.containers[0].volumeMounts.subPath: Invalid value: \"../x\": must not contain '..', " +
            "spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers, " +
            "spec.containers[0].securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive, " +
            "spec.containers[0].securityContext.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`, " +
            "spec.containers[0].securityContext.seccompProfile.type: Unsupported value: \"Bogus\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"]"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidContainers))]
    public async Task Create_WithAnInvalidContainer_Returns422WithUpstreamsMessage(string container, string expected)
    {
        var pod = TestPods.Pod("invalid");
        Merge(pod["spec"]!["containers"]![0]!, container);

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal($"Pod \"invalid\" is invalid: {expected}", reply.Message);
    }

    /// <summary>A JSON object merged into the pod's spec, and the whole message upstream answers with.</summary>
    public static TheoryData<string, string> InvalidSpecs => new()
    {
        {
            """{"topologySpreadConstraints":[{"maxSkew":0,"topologyKey":"zone","whenUnsatisfiable":"Sometimes","minDomains":2,"nodeAffinityPolicy":"Maybe"},{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"Sometimes","labelSelector":{"matchExpressions":[{"key":"app","operator":"Like"}]}}]}""",
            "[spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero, " +
            "spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\", " +
            "spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{zone, Sometimes}\", " +
            "spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not Sometimes, " +
            "spec.topologySpreadConstraints[0].nodeAffinityPolicy: Unsupported value: \"Maybe\": supported values: \"Honor\", \"Ignore\", " +
            "spec.topologySpreadConstraints[1].whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\", " +
            "spec.topologySpreadConstraints[1].labelSelector.matchExpressions[0].operator: Invalid value: \"Like\": not a valid selector operator]"
        },
        { """{"dnsPolicy":"None"}""", "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None" },
        {
            """{"restartPolicy":"Sometimes","dnsPolicy":"Public"}""",
            "[spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\", " +
            "spec.dnsPolicy: Unsupported value: \"Public\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"]"
        },
        {
            """{"hostAliases":[{"ip":"10.0.0.300","hostnames":["db.local","DB"]}],"overhead":{"cpu":"-1"},"os":{"name":"plan9"}}""",
            "[spec.hostAliases[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), " +
            "spec.hostAliases[0].hostnames[1]: Invalid value: \"DB\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
            "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), " +
            "spec.overhead.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0, " +
            "spec.os.name: Unsupported value: \"plan9\": supported values: \"linux\", \"windows\"]"
        },
        {
            """{"dnsConfig":{"nameservers":["1.1.1.1","8.8.8.8","9.9.9.9","dns.example.com"],"searches":["svc.cluster.local.","Bad_Domain"],"options":[{"value":"2"}]}}""",
            "[spec.dnsConfig.nameservers: Invalid value: []string{\"1.1.1.1\", \"8.8.8.8\", \"9.9.9.9\", \"dns.example.com\"}: must not have more than 3 nameservers, " +
            "spec.dnsConfig.nameservers[3]: Invalid value: \"dns.example.com\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), " +
            "spec.dnsConfig.searches[1]: Invalid value: \"Bad_Domain\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
            "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), " +
            "spec.dnsConfig.options[0]: Required value: must not be empty]"
        },
        {
            """{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In"},{"key":"disk","operator":"Exists","values":["ssd"]},{"key":"gen","operator":"Newer","values":["bad value!"]}],"matchFields":[{"key":"metadata.labels","operator":"In","values":["a","b"]}]}]},"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":0,"preference":{}}]},"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"web!"},"matchExpressions":[{"key":"tier","operator":"Exists","values":["x"]}]},"topologyKey":""}]}}}""",
            "[spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', " +
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist', " +
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].operator: Invalid value: \"Newer\": not a valid selector operator, " +
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values[0]: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
            "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'), " +
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector, " +
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: \"metadata.labels\": not a valid field selector key, " +
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100, " +
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels: Invalid value: \"web!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
            "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'), " +
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist', " +
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty, " +
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must be non-empty, " +
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', " +
            "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')]"
        },
        {
            """{"shareProcessNamespace":true,"hostPID":true,"securityContext":{"runAsUser":-1,"supplementalGroups":[1,-2],"sysctls":[{"name":"net.ipv4.ip_forward"},{"name":"net.ipv4.ip_forward"},{"name":"Bad!"}],"fsGroupChangePolicy":"Sometimes","seccompProfile":{"type":"Localhost"}}}""",
            "[spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive, " +
            "spec.securityContext.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive, " +
            "spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled, " +
            "spec.securityContext.sysctls[1].name: Duplicate value: \"net.ipv4.ip_forward\", " +
            "spec.securityContext.sysctls[2].name: Invalid value: \"Bad!\": must have at most 253 characters and match regex " +
            "([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?, " +
            "spec.securityContext.fsGroupChangePolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\", " +
            "spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost]"
        },
        {
            """{"volumes":[{"name":"data","emptyDir":{}},{"name":"both","emptyDir":{},"hostPath":{"path":"/tmp"}},{"name":"Bad_Name","secret":{}},{"name":"data","configMap":{"name":"c","defaultMode":1000}}]}""",
            "[spec.volumes[1].hostPath: Forbidden: may not specify more than 1 volume type, " +
            "spec.volumes[2].secret.secretName: Required value, " +
            "spec.volumes[2].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
            "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), " +
            "spec.volumes[3].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive, " +
            "spec.volumes[3].name: Duplicate value: \"data\"]"
        },
        {
            """{"tolerations":[{"operator":"Equal","value":"x"},{"key":"dedicated","operator":"Exists","value":"gpu"},{"key":"k","operator":"Like","effect":"NoRun","tolerationSeconds":5}]}""",
            "[spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\", " +
            "spec.tolerations[1].operator: Invalid value: core.Toleration{Key:\"dedicated\", Operator:\"Exists\", Value:\"gpu\", Effect:\"\", TolerationSeconds:(*int64)(nil)}: " +
            "value must be empty when `operator` is 'Exists', " +
            "spec.tolerations[2].effect: Invalid value: \"NoRun\": effect must be 'NoExecute' when `tolerationSeconds` is set, " +
            "spec.tolerations[2].operator: Unsupported value: \"Like\": supported values: \"Equal\", \"Exists\", " +
            "spec.tolerations[2].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"]"
        },
        {
            """{"nodeSelector":{"disk":"ssd!"},"schedulingGates":[{"name":"example.com/wait"},{"name":"example.com/wait"}],"hostname":"Web","preemptionPolicy":"Sometimes"}""",
            "[spec.nodeSelector: Invalid value: \"ssd!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
            "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'), " +
            "spec.schedulingGates[1]: Duplicate value: \"example.com/wait\", " +
            "spec.hostname: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
            "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), " +
            "spec.preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\"]"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task Create_WithAnInvalidSpec_Returns422WithUpstreamsMessage(string spec, string expected)
    {
        var pod = TestPods.Pod("invalid");
        Merge(pod["spec"]!, spec);

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal($"Pod \"invalid\" is invalid: {expected}", reply.Message);
    }

    [Fact]
    public async Task Create_MakesAVolumeWithoutASourceAnEmptyDir_AsV1DefaultingDoes()
    {
        var pod = TestPods.Pod("scratch");
        pod["spec"]!["volumes"] = JsonNode.Parse("""[{"name":"scratch"}]""");
        pod["spec"]!["containers"]![0]!["volumeMounts"] = JsonNode.Parse("""[{"name":"scratch","mountPath":"/scratch"}]""");

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        Assert.Equal("""[{"emptyDir":{},"name":"scratch"}]""", reply.Json["spec"]!["volumes"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"containers":[{"name":"app","image":"nginx","ports":[{}],"env":[{"valueFrom":{"fieldRef":{}}}],"envFrom":[{"configMapRef":{}}],"volumeMounts":[{}]}]}""")]
    [InlineData("""{"containers":[{"name":"app","image":"nginx","livenessProbe":{"httpGet":{"port":""}},"readinessProbe":{"grpc":{}},"lifecycle":{"preStop":{}}}]}""")]
    [InlineData("""{"containers":[{"name":"app","image":"nginx","resources":{"limits":{},"requests":{"":"1"}},"env":[{"name":"X","valueFrom":{"resourceFieldRef":{}}}]}]}""")]
    [InlineData("""{"containers":[{"name":"app","image":"nginx"}],"tolerations":[{}],"volumes":[{"hostPath":{}},{"name":"v","persistentVolumeClaim":{}}],"readinessGates":[{}],"schedulingGates":[{}]}""")]
    [InlineData("""{"containers":[{"name":"app","image":"nginx"}],"initContainers":[{"restartPolicy":"","livenessProbe":{}}],"hostNetwork":true}""")]
    [InlineData("""{"volumes":[null],"containers":[{"name":"app","image":"nginx","env":[null],"envFrom":[null],"volumeMounts":[null],"ports":[null]}],"tolerations":[null],"hostAliases":[null],"readinessGates":[null],"topologySpreadConstraints":[null],"initContainers":[null]}""")]
    [InlineData("""{"containers":[{"name":"app","image":"nginx","livenessProbe":{"httpGet":{"httpHeaders":[null]}}}],"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[null]},"preferredDuringSchedulingIgnoredDuringExecution":[null]},"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[null],"preferredDuringSchedulingIgnoredDuringExecution":[null]}},"dnsConfig":{"options":[null],"nameservers":[null]},"securityContext":{"sysctls":[null]}}""")]
    public async Task Create_WithEmptyOrMissingParts_Answers422_NeverA500(string spec)
    {
        var pod = TestPods.Pod("sparse");
        pod["spec"] = JsonNode.Parse(spec);

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.StartsWith("Pod \"sparse\" is invalid: ", reply.Message);
    }

    [Fact]
    public async Task Create_ChecksInitContainersAfterContainers_AndForbidsTheirProbesUnlessTheyRestart()
    {
        var pod = TestPods.Pod("init");
        pod["spec"]!["initContainers"] = JsonNode.Parse("""
            [{"name":"app","image":"busybox"},
             {"name":"setup","image":"busybox","readinessProbe":{"exec":{"command":["true"]}}},
             {"name":"sidecar","image":"envoy","restartPolicy":"Always","readinessProbe":{"exec":{"command":["true"]}}}]
            """);
        pod["spec"]!["containers"]![0]!["restartPolicy"] = "Always";

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal(
            "Pod \"init\" is invalid: [spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers, " +
            "spec.initContainers[0].name: Duplicate value: \"app\", " +
            "spec.initContainers[1].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always]",
            reply.Message);
    }

    [Fact]
    public async Task Create_OnTheHostNetwork_RequiresHostPortsToMatch_AndDefaultsThem()
    {
        var mismatched = TestPods.Pod("host-mismatch");
        mismatched["spec"]!["hostNetwork"] = true;
        mismatched["spec"]!["containers"]![0]!["ports"] = JsonNode.Parse("""[{"containerPort":80,"hostPort":8080}]""");
        var defaulted = TestPods.Pod("host-defaulted");
        defaulted["spec"]!["hostNetwork"] = true;
        defaulted["spec"]!["containers"]![0]!["ports"] = JsonNode.Parse("""[{"containerPort":80}]""");

        var refused = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", mismatched);
        var created = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", defaulted);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Code);
        Assert.Equal("Pod \"host-mismatch\" is invalid: spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true", refused.Message);
        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Equal("""[{"containerPort":80,"hostPort":80,"protocol":"TCP"}]""", created.Json["spec"]!["containers"]![0]!["ports"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_AcceptsAValidContainer_AndStoresUpstreamsDefaults()
    {
        var pod = TestPods.Pod("complete");
        pod["spec"]!["restartPolicy"] = "";
        pod["spec"]!["volumes"] = JsonNode.Parse("""[{"name":"data","emptyDir":{}}]""");
        Merge(pod["spec"]!["containers"]![0]!, """
            {"ports":[{"containerPort":80,"name":"http"}],
             "env":[{"name":"1.relaxed-NAME","value":"v"},{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}}],
             "envFrom":[{"configMapRef":{"name":"settings"},"prefix":"APP_"}],
             "volumeMounts":[{"name":"data","mountPath":"/data"}],
             "resources":{"requests":{"cpu":"100m","example.com/gpu":"1"},"limits":{"memory":"1Gi","example.com/gpu":"1"}},
             "readinessProbe":{"httpGet":{"port":"http"}},
             "livenessProbe":{"tcpSocket":{"port":80}},
             "lifecycle":{"preStop":{"sleep":{"seconds":0}}}}
            """);

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        var container = reply.Json["spec"]!["containers"]![0]!;
        Assert.Equal("Always", (string?)reply.Json["spec"]!["restartPolicy"]);
        Assert.Equal("""{"failureThreshold":3,"httpGet":{"path":"/","port":"http","scheme":"HTTP"},"periodSeconds":10,"successThreshold":1,"timeoutSeconds":1}""",
            container["readinessProbe"]!.ToJsonString());
        Assert.Equal("""{"failureThreshold":3,"periodSeconds":10,"successThreshold":1,"tcpSocket":{"port":80},"timeoutSeconds":1}""",
            container["livenessProbe"]!.ToJsonString());
        Assert.Equal("v1", (string?)container["env"]![1]!["valueFrom"]!["fieldRef"]!["apiVersion"]);
    }

    /// <summary>Sets each field of the JSON object <paramref name="fields"/> on <paramref name="target"/>.</summary>
    private static void Merge(JsonNode target, string fields)
    {
        foreach (var (field, value) in JsonNode.Parse(fields)!.AsObject())
        {
            target[field] = value?.DeepClone();
        }
    }
}
