using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Patching;
using PodStatus.Api.Registry;
using PodStatus.Api.Serialization;
using PodStatus.Api.Simulation.Network;
using PodStatus.Api.Simulation.Stages;
using PodStatus.Api.Simulation.Templates;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation.Lifecycle;

/// <summary>
/// Plays a stage's steps on one version of an object, as KWOK's controllers do (<c>pkg/utils/lifecycle/next.go</c>):
/// in order, each rendered against the object as the stage found it; an event is recorded even after a delete,
/// nothing else is. Every write goes through the resource's registry as an ordinary client's would, as
/// <see cref="SimulatorAccess.User"/>, and is conditional on the version it was computed from: a stage never lands
/// on a version it was not chosen for.
/// </summary>
public sealed class StagePlayer<T>(Registry<T> registry, EventRecorder events, SimulatorAccess access)
    where T : class, IKubernetesObject<V1ObjectMeta>, new()
{
    /// <summary>The component KWOK's event recorder names as the source of stage events.</summary>
    public const string EventSource = "kwok_controller";

    /// <summary>Plays <paramref name="stage"/> on <paramref name="target"/>; returns the object as the last write left it
    /// (null when it was deleted).</summary>
    public async Task<StoredObject?> PlayAsync(Stage stage, StoredObject target, CancellationToken cancellationToken)
    {
        // The object as templates read it, decoded as they reach it: the document lives until the stage is played.
        using var document = JsonDocument.Parse(target.Object.Utf8Memory);
        var data = GoTemplate.FromJson(document.RootElement);

        var current = target;
        var deleted = false;
        foreach (var step in stage.Steps)
        {
            if (step.Event is { } stageEvent)
            {
                await events.RecordAsync(registry.Resource.Kind, target, stageEvent.Type, stageEvent.Reason, Render(stageEvent.Message, data, target),
                    EventSource, cancellationToken);
            }

            if (deleted)
            {
                continue;
            }

            if (step.Finalizers is { } finalizers && FinalizerPatch(current, finalizers) is { } operations)
            {
                current = await PatchAsync(current, operations, PatchType.Json, "", cancellationToken);
            }

            if (step.Delete)
            {
                deleted = true;
                await DeleteAsync(current, cancellationToken);
                continue;
            }

            if (step.Patch is { } patch)
            {
                var rendered = YamlToJson.Convert(Render(patch.Template, data, target));
                var type = patch.Type switch { "json" => PatchType.Json, "merge" => PatchType.Merge, _ => PatchType.StrategicMerge };
                current = await PatchAsync(current, Wrap(rendered, patch.Root, type), type, patch.Subresource, cancellationToken);
            }
        }

        return deleted ? null : current;
    }

    /// <summary>The template's output; a pod's own IP is what <c>PodIPWith</c> gives it again.</summary>
    private static string Render(GoTemplate template, object? data, StoredObject target)
    {
        using var scope = SimulatedNetwork.Rendering(typeof(T) == typeof(V1Pod) ? target.Object.Fields.Field(Resources.Pods.PodFields.PodIpIndex) : null);
        return template.Execute(data);
    }

    /// <summary>The output under its root: <c>{"status": ...}</c>, or each JSON patch operation's path prefixed.</summary>
    private static byte[] Wrap(byte[] rendered, string root, PatchType type)
    {
        if (root.Length == 0)
        {
            return rendered;
        }

        if (type != PatchType.Json)
        {
            // {"root": rendered}, spliced as bytes: the rendered JSON is already well formed, and this is every
            // simulated status write.
            var name = JsonSerializer.SerializeToUtf8Bytes(root, DomJson.Default.String);
            var wrapped = new byte[name.Length + rendered.Length + 3];
            wrapped[0] = (byte)'{';
            name.CopyTo(wrapped, 1);
            wrapped[name.Length + 1] = (byte)':';
            rendered.CopyTo(wrapped, name.Length + 2);
            wrapped[^1] = (byte)'}';
            return wrapped;
        }

        var node = JsonNode.Parse(rendered);
        foreach (var operation in node as JsonArray ?? [])
        {
            if (operation is JsonObject { } op && op["path"]?.GetValue<string>() is { } path)
            {
                op["path"] = "/" + root + path;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, DomJson.Default.JsonNode);
    }

    /// <summary>KWOK's finalizersModify, as a JSON patch of the object: empty them; remove (from the last down); add.</summary>
    private static byte[]? FinalizerPatch(StoredObject current, StageFinalizerStep step)
    {
        var existing = current.Object.DecodeMetadata().Finalizers ?? [];
        var operations = new List<JsonNode>();
        if (step.Empty)
        {
            if (existing.Count > 0)
            {
                operations.Add(new JsonObject { ["op"] = "remove", ["path"] = "/metadata/finalizers" });
            }
        }
        else
        {
            var kept = existing.ToList();
            for (var i = existing.Count - 1; i >= 0; i--)
            {
                if (step.Remove.Contains(existing[i]))
                {
                    operations.Add(new JsonObject { ["op"] = "remove", ["path"] = $"/metadata/finalizers/{i}" });
                    kept.RemoveAt(i);
                }
            }

            var added = step.Add.Where(finalizer => !kept.Contains(finalizer)).Distinct().ToList();
            if (added.Count > 0 && kept.Count == 0)
            {
                operations.Add(new JsonObject { ["op"] = "add", ["path"] = "/metadata/finalizers", ["value"] = new JsonArray([.. added.Select(f => JsonValue.Create(f))]) });
            }
            else
            {
                foreach (var finalizer in added)
                {
                    operations.Add(new JsonObject { ["op"] = "add", ["path"] = "/metadata/finalizers/-", ["value"] = finalizer });
                }
            }
        }

        return operations.Count == 0 ? null : JsonSerializer.SerializeToUtf8Bytes(new JsonArray([.. operations]), DomJson.Default.JsonArray);
    }

    /// <summary>A PATCH of the object or its subresource, applied to the version it was computed from (409 otherwise).</summary>
    private async Task<StoredObject> PatchAsync(StoredObject current, byte[] patch, PatchType type, string subresource, CancellationToken cancellationToken)
    {
        var written = await access.WriteAsync("patch", registry.Resource, current.Key, subresource, async () => await registry.UpdateAsync(current.Key, _ =>
        {
            var patched = Patches.Apply(Target(current, subresource, type), patch, type, registry.Strategy.PatchSchema);
            var value = patched.Deserialize(Strategy<T>.Json) ?? throw StatusErrors.BadRequest("the patch left no object").AsException();
            value.Metadata ??= new V1ObjectMeta();
            value.Metadata.ResourceVersion = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            return value;
        }, subresource, uidIsPrecondition: false, dryRun: false, cancellationToken));

        // A stage reads the object's JSON, never the decoded forms a write keeps for the next one: let them go, so a
        // million moving pods do not keep the cache full of forms no one reads (each young collection copied them)
        // and take its places from the pods clients write.
        written.Object.ReleaseDecoded();
        return written;
    }

    /// <summary>
    /// What the patch applies to: the whole object, or for a merge of the status subresource only what a status write
    /// reads (its metadata and status), as the HTTP path skips the spec of a status write.
    /// </summary>
    private static JsonObject Target(StoredObject current, string subresource, PatchType type)
    {
        // Parsed once; the nodes under the top level are made only where the patch reaches.
        var target = JsonNode.Parse(current.Object.Utf8)!.AsObject();
        if (subresource == "status" && type != PatchType.Json)
        {
            foreach (var name in target.Select(property => property.Key).Where(name => name is not ("apiVersion" or "kind" or "metadata" or "status")).ToList())
            {
                target.Remove(name);
            }
        }

        return target;
    }

    /// <summary>A delete with no grace (KWOK's <c>NewDeleteOptions(0)</c>) of the same object (its uid).</summary>
    private async Task DeleteAsync(StoredObject current, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = current.Object.Uid } };
        try
        {
            await access.WriteAsync("delete", registry.Resource, current.Key, "", async () => await registry.DeleteAsync(current.Key, options, cancellationToken));
        }
        catch (StatusException error) when (error.Status.Code is 404 or 409)
        {
            // Gone already, or another object of that name now.
        }
    }
}
