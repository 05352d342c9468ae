using System.Text.Json;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Serialization;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Endpoints;

/// <summary>DeleteOptions come from the body when there is one, otherwise from the query, as upstream reads them.</summary>
internal static class DeleteOptionsReader
{
    public static async ValueTask<V1DeleteOptions> ReadAsync(HttpRequest request, long? gracePeriodSeconds, CancellationToken cancellationToken)
    {
        var options = await RequestBody.ReadAsync(request, json =>
        {
            if (json.IsEmpty)
            {
                return null;
            }

            try
            {
                var reader = new Utf8JsonReader(json);
                return JsonSerializer.Deserialize(ref reader, KubeJson.DeleteOptions);
            }
            catch (JsonException error)
            {
                throw StatusErrors.BadRequest($"DeleteOptions in version \"v1\" cannot be handled as a DeleteOptions: {error.Message}").AsException();
            }
        }, cancellationToken);

        options ??= new V1DeleteOptions { GracePeriodSeconds = gracePeriodSeconds };
        Validate(options);
        return options;
    }

    /// <summary>Upstream's <c>ValidateDeleteOptions</c>.</summary>
    private static void Validate(V1DeleteOptions options)
    {
        var failures = new List<ValidationFailure>();
        if (options.OrphanDependents is not null && options.PropagationPolicy is not null)
        {
            failures.Add(FieldError.Invalid("propagationPolicy", options.PropagationPolicy, "orphanDependents and deletionPropagation cannot be both set"));
        }

        if (options.PropagationPolicy is { } policy && policy is not ("Foreground" or "Background" or "Orphan"))
        {
            failures.Add(FieldError.NotSupported("propagationPolicy", policy, ["Foreground", "Background", "Orphan", "nil"]));
        }

        foreach (var (value, index) in (options.DryRun ?? []).Select((value, index) => (value, index)))
        {
            if (value != "All")
            {
                failures.Add(FieldError.NotSupported($"dryRun[{index}]", value, ["All"]));
            }
        }

        failures.ThrowIfAny("DeleteOptions.meta.k8s.io", "");
    }
}
