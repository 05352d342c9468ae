using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// The container rules of upstream's ValidatePodSpec (<c>pkg/apis/core/validation/validation.go</c>), in its order:
/// <c>validateContainers</c>, then <c>validateInitContainers</c>, each container through
/// <c>validateContainerCommon</c> (name, image, termination message policy, ports, env, envFrom, volume mounts, pull
/// policy, resources, security context), then its probes and lifecycle handlers; host ports must not collide; with
/// <c>hostNetwork</c>, a host port is its container port.
/// </summary>
public static class ContainerRules
{
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] TerminationMessagePolicies = ["File", "FallbackToLogsOnError"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] Schemes = ["HTTP", "HTTPS"];
    private static readonly string[] MountPropagations = ["Bidirectional", "HostToContainer", "None"];

    /// <summary>The pod fields an environment variable may read (<c>validEnvDownwardAPIFieldPathExpressions</c>), sorted as upstream lists them.</summary>
    private static readonly string[] EnvFieldPaths =
        ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"];

    /// <summary>What <c>ConvertDownwardAPIFieldLabel</c> (<c>pkg/apis/core/pods/helpers.go</c>) accepts besides subscripts.</summary>
    private static readonly string[] ConvertibleFieldPaths =
        ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy",
            "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"];

    private static readonly string[] ContainerResourceFields =
        ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];

    /// <summary><c>helper.IsStandardResourceName</c>'s set, for resource names without a domain.</summary>
    private static readonly HashSet<string> StandardResources =
    [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
        "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "persistentvolumeclaims", "storage",
        "requests.storage", "services.nodeports", "services.loadbalancers",
    ];

    private enum ProbeKind { Liveness, Readiness, Startup }

    public static void Validate(V1PodSpec spec, IReadOnlySet<string> volumes, List<ValidationFailure> failures)
    {
        // Upstream passes the grace period as it is, 0 when unset.
        var grace = spec.TerminationGracePeriodSeconds ?? 0;
        var hostUsers = spec.HostUsers ?? true;
        var containers = spec.Containers ?? [];
        if (containers.Count == 0)
        {
            failures.Add(FieldError.Required("spec.containers"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i] ?? new V1Container();
            var path = $"spec.containers[{i}]";
            Common(container, path, volumes, hostUsers, failures);
            if (!names.Add(container.Name ?? ""))
            {
                failures.Add(FieldError.Duplicate($"{path}.name", container.Name ?? ""));
            }

            Handlers(container, path, grace, failures);
            if (container.RestartPolicy is not null)
            {
                failures.Add(FieldError.Forbidden($"{path}.restartPolicy", "may not be set for non-init containers"));
            }
        }

        HostPortConflicts(containers, "spec.containers", failures);

        var initContainers = spec.InitContainers ?? [];
        for (var i = 0; i < initContainers.Count; i++)
        {
            var container = initContainers[i] ?? new V1Container();
            var path = $"spec.initContainers[{i}]";
            Common(container, path, volumes, hostUsers, failures);
            if (container.RestartPolicy is { } restartPolicy && restartPolicy != "Always")
            {
                failures.Add(FieldError.NotSupported($"{path}.restartPolicy", restartPolicy, ["Always"]));
            }

            if (names.Contains(container.Name ?? ""))
            {
                failures.Add(FieldError.Duplicate($"{path}.name", container.Name ?? ""));
            }
            else if (!string.IsNullOrEmpty(container.Name))
            {
                names.Add(container.Name);
            }

            // Init containers run one by one, so each is checked alone; upstream names it as the list's first
            // (checkHostPortConflicts([]core.Container{ctr}, fldPath)).
            HostPortConflicts([container], "spec.initContainers", failures);
            if (container.RestartPolicy == "Always")
            {
                Handlers(container, path, grace, failures);
            }
            else
            {
                foreach (var (set, field) in new object?[] { container.Lifecycle, container.LivenessProbe, container.ReadinessProbe, container.StartupProbe }
                    .Zip(["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]))
                {
                    if (set is not null)
                    {
                        failures.Add(FieldError.Forbidden($"{path}.{field}", "may not be set for init containers without restartPolicy=Always"));
                    }
                }
            }
        }

        if (spec.HostNetwork == true)
        {
            // validatePodHostNetworkDeps: on the host's network a container's port is the host's.
            for (var i = 0; i < containers.Count; i++)
            {
                var ports = containers[i]?.Ports ?? [];
                for (var j = 0; j < ports.Count; j++)
                {
                    if ((ports[j]?.HostPort ?? 0) != (ports[j]?.ContainerPort ?? 0))
                    {
                        failures.Add(FieldError.Invalid($"spec.containers[{i}].ports[{j}].hostPort", ports[j]!.HostPort ?? 0, "must match `containerPort` when `hostNetwork` is true"));
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>validateContainersOnlyForPod</c>, which ValidatePodCreate and ValidatePodUpdate add after the spec's rules: a
    /// pod's images have no surrounding whitespace (a pod template's may).
    /// </summary>
    public static void ImagesOfPod(V1PodSpec spec, List<ValidationFailure> failures)
    {
        foreach (var (list, field) in new[] { (spec.Containers ?? [], "containers"), (spec.InitContainers ?? [], "initContainers") })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i]?.Image is { Length: > 0 } image && image.Trim().Length != image.Length)
                {
                    failures.Add(FieldError.Invalid($"spec.{field}[{i}].image", image, "must not have leading or trailing whitespace"));
                }
            }
        }
    }

    /// <summary><c>validateContainerCommon</c>.</summary>
    private static void Common(V1Container container, string path, IReadOnlySet<string> volumes, bool hostUsers, List<ValidationFailure> failures)
    {
        if (string.IsNullOrEmpty(container.Name))
        {
            failures.Add(FieldError.Required($"{path}.name"));
        }
        else
        {
            failures.AddRange(Names.Dns1123Label(container.Name).Select(m => FieldError.Invalid($"{path}.name", container.Name, m)));
        }

        if (string.IsNullOrEmpty(container.Image))
        {
            failures.Add(FieldError.Required($"{path}.image"));
        }

        failures.RequireOneOf($"{path}.terminationMessagePolicy", container.TerminationMessagePolicy, TerminationMessagePolicies);
        Ports(container.Ports, $"{path}.ports", failures);
        Env(container.Env, $"{path}.env", failures);
        EnvFrom(container.EnvFrom, $"{path}.envFrom", failures);
        VolumeMounts(container, $"{path}.volumeMounts", volumes, failures);
        failures.RequireOneOf($"{path}.imagePullPolicy", container.ImagePullPolicy, PullPolicies);
        Resources(container.Resources, $"{path}.resources", failures);
        SecurityContextRules.ForContainer(container.SecurityContext, $"{path}.securityContext", hostUsers, failures);
    }

    /// <summary><c>validateContainerPorts</c>.</summary>
    private static void Ports(IList<V1ContainerPort>? ports, string path, List<ValidationFailure> failures)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var port = ports![i] ?? new V1ContainerPort();
            var at = $"{path}[{i}]";
            if (!string.IsNullOrEmpty(port.Name))
            {
                var problems = Names.PortName(port.Name).ToList();
                if (problems.Count > 0)
                {
                    failures.AddRange(problems.Select(m => FieldError.Invalid($"{at}.name", port.Name, m)));
                }
                else if (!names.Add(port.Name))
                {
                    failures.Add(FieldError.Duplicate($"{at}.name", port.Name));
                }
            }

            if (port.ContainerPort == 0)
            {
                failures.Add(FieldError.Required($"{at}.containerPort"));
            }
            else
            {
                failures.AddRange(Names.PortNumber(port.ContainerPort).Select(m => FieldError.Invalid($"{at}.containerPort", port.ContainerPort, m)));
            }

            if (port.HostPort is { } hostPort and not 0)
            {
                failures.AddRange(Names.PortNumber(hostPort).Select(m => FieldError.Invalid($"{at}.hostPort", hostPort, m)));
            }

            failures.RequireOneOf($"{at}.protocol", port.Protocol, Protocols);
        }
    }

    /// <summary><c>AccumulateUniqueHostPorts</c>: one protocol, host IP and host port per pod.</summary>
    private static void HostPortConflicts(IList<V1Container> containers, string path, List<ValidationFailure> failures)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var ports = containers[i]?.Ports ?? [];
            for (var j = 0; j < ports.Count; j++)
            {
                if (ports[j] is { HostPort: { } hostPort and not 0 } port && !taken.Add($"{port.Protocol}/{port.HostIP}/{hostPort}"))
                {
                    failures.Add(FieldError.Duplicate($"{path}[{i}].ports[{j}].hostPort", $"{port.Protocol}/{port.HostIP}/{hostPort}"));
                }
            }
        }
    }

    /// <summary><c>ValidateEnv</c>.</summary>
    private static void Env(IList<V1EnvVar>? env, string path, List<ValidationFailure> failures)
    {
        for (var i = 0; i < (env?.Count ?? 0); i++)
        {
            var variable = env![i] ?? new V1EnvVar();
            var at = $"{path}[{i}]";
            if (string.IsNullOrEmpty(variable.Name))
            {
                failures.Add(FieldError.Required($"{at}.name"));
            }
            else
            {
                failures.AddRange(Names.EnvironmentVariableName(variable.Name).Select(m => FieldError.Invalid($"{at}.name", variable.Name, m)));
            }

            if (variable.ValueFrom is { } source)
            {
                ValueFrom(source, !string.IsNullOrEmpty(variable.Value), $"{at}.valueFrom", failures);
            }
        }
    }

    /// <summary><c>validateEnvVarValueFrom</c>: exactly one source, and no value beside it.</summary>
    private static void ValueFrom(V1EnvVarSource source, bool hasValue, string path, List<ValidationFailure> failures)
    {
        var sources = 0;
        if (source.FieldRef is { } fieldRef)
        {
            sources++;
            FieldRef(fieldRef, $"{path}.fieldRef", failures);
        }

        if (source.ResourceFieldRef is { } resourceRef)
        {
            sources++;
            if (string.IsNullOrEmpty(resourceRef.Resource))
            {
                failures.Add(FieldError.Required($"{path}.resourceFieldRef.resource"));
            }
            else if (!ContainerResourceFields.Contains(resourceRef.Resource) &&
                !resourceRef.Resource.StartsWith("requests.hugepages-", StringComparison.Ordinal) && !resourceRef.Resource.StartsWith("limits.hugepages-", StringComparison.Ordinal))
            {
                failures.Add(FieldError.NotSupported($"{path}.resourceFieldRef.resource", resourceRef.Resource, ContainerResourceFields));
            }
        }

        if (source.ConfigMapKeyRef is { } configMapKey)
        {
            sources++;
            KeySelector(configMapKey.Name, configMapKey.Key, $"{path}.configMapKeyRef", failures);
        }

        if (source.SecretKeyRef is { } secretKey)
        {
            sources++;
            KeySelector(secretKey.Name, secretKey.Key, $"{path}.secretKeyRef", failures);
        }

        if (sources == 0)
        {
            failures.Add(FieldError.Invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        }
        else if (hasValue)
        {
            failures.Add(FieldError.Invalid(path, "", "may not be specified when `value` is not empty"));
        }
        else if (sources > 1)
        {
            failures.Add(FieldError.Invalid(path, "", "may not have more than one field specified at a time"));
        }
    }

    /// <summary><c>validateObjectFieldSelector</c>, through <c>ConvertDownwardAPIFieldLabel</c>.</summary>
    private static void FieldRef(V1ObjectFieldSelector selector, string path, List<ValidationFailure> failures)
    {
        if (string.IsNullOrEmpty(selector.ApiVersion))
        {
            failures.Add(FieldError.Required($"{path}.apiVersion"));
            return;
        }

        if (string.IsNullOrEmpty(selector.FieldPath))
        {
            failures.Add(FieldError.Required($"{path}.fieldPath"));
            return;
        }

        var fieldPath = selector.FieldPath;
        var subscripted = SplitSubscript(fieldPath, out var subject, out var subscript);
        var error = selector.ApiVersion != "v1" ? $"unsupported pod version: {selector.ApiVersion}"
            : subscripted ? subject is "metadata.annotations" or "metadata.labels" ? null : $"field label does not support subscript: {fieldPath}"
            : fieldPath == "spec.host" || ConvertibleFieldPaths.Contains(fieldPath) ? null : $"field label not supported: {fieldPath}";
        if (error is not null)
        {
            failures.Add(FieldError.Invalid($"{path}.fieldPath", fieldPath, $"error converting fieldPath: {error}"));
            return;
        }

        if (subscripted)
        {
            var key = subject == "metadata.annotations" ? subscript.ToLowerInvariant() : subscript;
            failures.AddRange(Names.QualifiedName(key).Select(m => FieldError.Invalid(path, key, m)));
        }
        else if ((fieldPath == "spec.host" ? "spec.nodeName" : fieldPath) is var internalPath && !EnvFieldPaths.Contains(internalPath))
        {
            failures.Add(FieldError.NotSupported($"{path}.fieldPath", internalPath, EnvFieldPaths));
        }
    }

    /// <summary><c>fieldpath.SplitMaybeSubscriptedPath</c>: <c>metadata.labels['key']</c> is the path and the key.</summary>
    private static bool SplitSubscript(string fieldPath, out string subject, out string subscript)
    {
        (subject, subscript) = (fieldPath, "");
        if (!fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            return false;
        }

        var open = fieldPath.IndexOf("['", StringComparison.Ordinal);
        if (open <= 0 || open + 2 > fieldPath.Length - 2)
        {
            return false;
        }

        (subject, subscript) = (fieldPath[..open], fieldPath[(open + 2)..^2]);
        return true;
    }

    /// <summary><c>validateConfigMapKeySelector</c> and <c>validateSecretKeySelector</c>.</summary>
    private static void KeySelector(string? name, string? key, string path, List<ValidationFailure> failures)
    {
        failures.AddRange(Names.Dns1123Subdomain(name ?? "").Select(m => FieldError.Invalid($"{path}.name", name ?? "", m)));
        if (string.IsNullOrEmpty(key))
        {
            failures.Add(FieldError.Required($"{path}.key"));
        }
        else
        {
            failures.AddRange(Names.ConfigMapKey(key).Select(m => FieldError.Invalid($"{path}.key", key, m)));
        }
    }

    /// <summary><c>ValidateEnvFrom</c>.</summary>
    private static void EnvFrom(IList<V1EnvFromSource>? sources, string path, List<ValidationFailure> failures)
    {
        for (var i = 0; i < (sources?.Count ?? 0); i++)
        {
            var source = sources![i] ?? new V1EnvFromSource();
            var at = $"{path}[{i}]";
            if (!string.IsNullOrEmpty(source.Prefix))
            {
                failures.AddRange(Names.EnvironmentVariableName(source.Prefix).Select(m => FieldError.Invalid($"{at}.prefix", source.Prefix, m)));
            }

            var references = new[] { ("configMapRef", source.ConfigMapRef is null, source.ConfigMapRef?.Name), ("secretRef", source.SecretRef is null, source.SecretRef?.Name) }
                .Where(reference => !reference.Item2).ToList();
            foreach (var (field, _, name) in references)
            {
                if (string.IsNullOrEmpty(name))
                {
                    failures.Add(FieldError.Required($"{at}.{field}.name"));
                }
                else
                {
                    // ValidateConfigMapName and ValidateSecretName, as prefixes.
                    failures.AddRange(Names.Dns1123Subdomain(Names.MaskTrailingDash(name)).Select(m => FieldError.Invalid($"{at}.{field}.name", name, m)));
                }
            }

            var count = references.Count;
            if (count == 0)
            {
                failures.Add(FieldError.Invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
            }
            else if (count > 1)
            {
                failures.Add(FieldError.Invalid(path, "", "may not have more than one field specified at a time"));
            }
        }
    }

    /// <summary>
    /// <c>ValidateVolumeMounts</c>: each names a volume of the pod, at a path of its own; sub-paths stay inside the
    /// volume. Upstream names the sub-path and propagation errors at the list's path, not the mount's.
    /// </summary>
    private static void VolumeMounts(V1Container container, string path, IReadOnlySet<string> volumes, List<ValidationFailure> failures)
    {
        var mounts = container.VolumeMounts ?? [];
        var mountPaths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i] ?? new V1VolumeMount();
            var at = $"{path}[{i}]";
            if (string.IsNullOrEmpty(mount.Name))
            {
                failures.Add(FieldError.Required($"{at}.name"));
            }

            if (!volumes.Contains(mount.Name ?? ""))
            {
                failures.Add(FieldError.NotFound($"{at}.name", mount.Name ?? ""));
            }

            if (string.IsNullOrEmpty(mount.MountPath))
            {
                failures.Add(FieldError.Required($"{at}.mountPath"));
            }

            if (!mountPaths.Add(mount.MountPath ?? ""))
            {
                failures.Add(FieldError.Invalid($"{at}.mountPath", mount.MountPath ?? "", "must be unique"));
            }

            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                Paths.LocalDescending(mount.SubPath, $"{path}.subPath", failures);
            }

            if (!string.IsNullOrEmpty(mount.SubPathExpr))
            {
                if (!string.IsNullOrEmpty(mount.SubPath))
                {
                    failures.Add(FieldError.Invalid($"{at}.subPathExpr", mount.SubPathExpr, "subPathExpr and subPath are mutually exclusive"));
                }

                Paths.LocalDescending(mount.SubPathExpr, $"{path}.subPathExpr", failures);
            }

            if (mount.MountPropagation is { } propagation)
            {
                if (!MountPropagations.Contains(propagation))
                {
                    failures.Add(FieldError.NotSupported($"{path}.mountPropagation", propagation, MountPropagations));
                }

                if (propagation == "Bidirectional" && container.SecurityContext?.Privileged != true)
                {
                    failures.Add(FieldError.Forbidden($"{path}.mountPropagation", "Bidirectional mount propagation is available only to privileged containers"));
                }
            }
        }
    }

    /// <summary>
    /// <c>ValidateContainerResourceRequirements</c>: names a container can have, quantities not negative, whole where they
    /// count things, and requests within limits; extended resources (with a domain) cannot be overcommitted. Go walks
    /// the maps in no order; PodStatus walks them by name.
    /// </summary>
    public static void Resources(V1ResourceRequirements? resources, string path, List<ValidationFailure> failures)
    {
        var limits = resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
        var requests = resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
        foreach (var (name, quantity) in limits.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Quantity(name, quantity, $"{path}.limits[{name}]", failures);
        }

        foreach (var (name, quantity) in requests.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Quantity(name, quantity, $"{path}.requests[{name}]", failures);
            if (limits.TryGetValue(name, out var limit))
            {
                var (requested, limited) = (quantity.ToDecimal(), limit.ToDecimal());
                if (requested != limited && !IsOvercommitAllowed(name))
                {
                    failures.Add(FieldError.Invalid($"{path}.requests", Quantities.Text(quantity), $"must be equal to {name} limit of {Quantities.Text(limit)}"));
                }
                else if (requested > limited)
                {
                    failures.Add(FieldError.Invalid($"{path}.requests", Quantities.Text(quantity), $"must be less than or equal to {name} limit of {Quantities.Text(limit)}"));
                }
            }
            else if (!IsOvercommitAllowed(name))
            {
                failures.Add(FieldError.Required($"{path}.limits", "Limit must be set for non overcommitable resources"));
            }
        }
    }

    private static void Quantity(string name, ResourceQuantity quantity, string path, List<ValidationFailure> failures)
    {
        // validateResourceName, then validateContainerResourceName.
        var nameProblems = Names.QualifiedName(name).ToList();
        failures.AddRange(nameProblems.Select(m => FieldError.Invalid(path, name, m)));
        if (nameProblems.Count == 0 && !name.Contains('/') && !StandardResources.Contains(name) && !IsHugePages(name))
        {
            failures.Add(FieldError.Invalid(path, name, "must be a standard resource type or fully qualified"));
        }

        if (!name.Contains('/'))
        {
            if (name is not ("cpu" or "memory" or "ephemeral-storage") && !IsHugePages(name))
            {
                failures.Add(FieldError.Invalid(path, name, "must be a standard resource for containers"));
            }
        }
        else if (!IsNative(name) && !IsExtended(name))
        {
            failures.Add(FieldError.Invalid(path, name, "doesn't follow extended resource name standard"));
        }

        // ValidateResourceQuantityValue.
        var value = quantity.ToDecimal();
        if (value < 0)
        {
            failures.Add(FieldError.Invalid(path, Quantities.Text(quantity), "must be greater than or equal to 0"));
        }

        if (IsExtended(name) && value != decimal.Truncate(value))
        {
            failures.Add(FieldError.Invalid(path, Quantities.Text(quantity), "must be an integer"));
        }
    }

    private static bool IsHugePages(string name) => name.StartsWith("hugepages-", StringComparison.Ordinal);

    /// <summary><c>helper.IsNativeResource</c>: no domain, or a kubernetes.io one.</summary>
    private static bool IsNative(string name) => !name.Contains('/') || name.Contains("kubernetes.io/", StringComparison.Ordinal);

    /// <summary><c>helper.IsExtendedResourceName</c>: a device plugin's resource, counted in whole units.</summary>
    private static bool IsExtended(string name) =>
        !IsNative(name) && !name.StartsWith("requests.", StringComparison.Ordinal) && !Names.QualifiedName("requests." + name).Any();

    private static bool IsOvercommitAllowed(string name) => IsNative(name) && !IsHugePages(name);

    /// <summary><c>validateLifecycle</c> and the three probes, as <c>validateContainers</c> checks them.</summary>
    private static void Handlers(V1Container container, string path, long grace, List<ValidationFailure> failures)
    {
        if (container.Lifecycle is { } lifecycle)
        {
            if (lifecycle.PostStart is { } postStart)
            {
                Handler(postStart.Exec, postStart.HttpGet, postStart.TcpSocket, null, postStart.Sleep, $"{path}.lifecycle.postStart", grace, failures);
            }

            if (lifecycle.PreStop is { } preStop)
            {
                Handler(preStop.Exec, preStop.HttpGet, preStop.TcpSocket, null, preStop.Sleep, $"{path}.lifecycle.preStop", grace, failures);
            }
        }

        Probe(container.LivenessProbe, ProbeKind.Liveness, $"{path}.livenessProbe", grace, failures);
        Probe(container.ReadinessProbe, ProbeKind.Readiness, $"{path}.readinessProbe", grace, failures);
        Probe(container.StartupProbe, ProbeKind.Startup, $"{path}.startupProbe", grace, failures);
    }

    /// <summary><c>validateProbe</c> and the rules of each kind.</summary>
    private static void Probe(V1Probe? probe, ProbeKind kind, string path, long grace, List<ValidationFailure> failures)
    {
        if (probe is null)
        {
            return;
        }

        Handler(probe.Exec, probe.HttpGet, probe.TcpSocket, probe.Grpc, null, path, grace, failures);
        foreach (var (value, field) in new[]
        {
            (probe.InitialDelaySeconds, "initialDelaySeconds"), (probe.TimeoutSeconds, "timeoutSeconds"), (probe.PeriodSeconds, "periodSeconds"),
            (probe.SuccessThreshold, "successThreshold"), (probe.FailureThreshold, "failureThreshold"),
        })
        {
            if (value < 0)
            {
                failures.Add(FieldError.Invalid($"{path}.{field}", value, "must be greater than or equal to 0"));
            }
        }

        if (probe.TerminationGracePeriodSeconds is <= 0)
        {
            failures.Add(FieldError.Invalid($"{path}.terminationGracePeriodSeconds", probe.TerminationGracePeriodSeconds, "must be greater than 0"));
        }

        if (kind != ProbeKind.Readiness && (probe.SuccessThreshold ?? 0) != 1)
        {
            failures.Add(FieldError.Invalid($"{path}.successThreshold", probe.SuccessThreshold ?? 0, "must be 1"));
        }

        if (kind == ProbeKind.Readiness && probe.TerminationGracePeriodSeconds is { } probeGrace)
        {
            failures.Add(FieldError.Invalid($"{path}.terminationGracePeriodSeconds", probeGrace, "must not be set for readinessProbes"));
        }
    }

    /// <summary><c>validateHandler</c>: exactly one way to run it.</summary>
    private static void Handler(V1ExecAction? exec, V1HTTPGetAction? httpGet, V1TCPSocketAction? tcpSocket, V1GRPCAction? grpc, V1SleepAction? sleep,
        string path, long grace, List<ValidationFailure> failures)
    {
        var handlers = 0;
        bool First(object? handler, string field)
        {
            if (handler is null)
            {
                return false;
            }

            if (handlers++ > 0)
            {
                failures.Add(FieldError.Forbidden($"{path}.{field}", "may not specify more than 1 handler type"));
                return false;
            }

            return true;
        }

        if (First(exec, "exec") && exec!.Command is not { Count: > 0 })
        {
            failures.Add(FieldError.Required($"{path}.exec.command"));
        }

        if (First(httpGet, "httpGet"))
        {
            if (string.IsNullOrEmpty(httpGet!.Path))
            {
                failures.Add(FieldError.Required($"{path}.httpGet.path"));
            }

            Port(httpGet.Port, $"{path}.httpGet.port", failures);
            if (!Schemes.Contains(httpGet.Scheme ?? ""))
            {
                failures.Add(FieldError.NotSupported($"{path}.httpGet.scheme", httpGet.Scheme ?? "", Schemes));
            }

            foreach (var header in httpGet.HttpHeaders ?? [])
            {
                failures.AddRange(Names.HttpHeaderName(header?.Name ?? "").Select(m => FieldError.Invalid($"{path}.httpGet.httpHeaders", header?.Name ?? "", m)));
            }
        }

        if (First(tcpSocket, "tcpSocket"))
        {
            Port(tcpSocket!.Port, $"{path}.tcpSocket.port", failures);
        }

        if (First(grpc, "grpc"))
        {
            failures.AddRange(Names.PortNumber(grpc!.Port).Select(m => FieldError.Invalid($"{path}.grpc.port", grpc.Port, m)));
        }

        // AllowPodLifecycleSleepActionZeroValue is on by default in v1.33: a sleep may be 0 seconds.
        if (First(sleep, "sleep") && (sleep!.Seconds < 0 || sleep.Seconds > grace))
        {
            failures.Add(FieldError.Invalid($"{path}.sleep", sleep.Seconds, $"must be non-negative and less than terminationGracePeriodSeconds ({grace})"));
        }

        if (handlers == 0)
        {
            failures.Add(FieldError.Required(path, "must specify a handler type"));
        }
    }

    /// <summary>
    /// <c>ValidatePortNumOrName</c>. The model keeps an int-or-string as its text, so a number sent as a string (which
    /// upstream checks as a name) is checked as a number here.
    /// </summary>
    private static void Port(IntOrString? port, string path, List<ValidationFailure> failures)
    {
        // An absent port is Go's zero IntOrString, the number 0.
        var text = port is null ? "0" : port.Value ?? "";
        if (long.TryParse(text, out var number))
        {
            failures.AddRange(Names.PortNumber(number).Select(m => FieldError.Invalid(path, number, m)));
        }
        else
        {
            failures.AddRange(Names.PortName(text).Select(m => FieldError.Invalid(path, text, m)));
        }
    }
}
