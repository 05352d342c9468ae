using System.Buffers;
using System.Text.Json;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Serialization;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Http;

/// <summary>DeleteOptions come from the body when there is one, otherwise from the query, as upstream reads them.</summary>
internal static class DeleteOptionsReader
{
    public static async ValueTask<V1DeleteOptions> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var options = await RequestBody.ReadAsync(request, json =>
        {
            if (json.IsEmpty)
            {
                return null;
            }

            try
            {
                var reader = new Utf8JsonReader(json, KubeJson.ReaderOptions);
                // A body, even "null", replaces the query's options; anything after its value is an error, as in Go.
                var options = JsonSerializer.Deserialize(ref reader, KubeJson.DeleteOptions) ?? new V1DeleteOptions();
                return reader.Read() ? throw new JsonException("unexpected data after the top-level value") : options;
            }
            catch (Exception error) when (error is JsonException or FormatException or OverflowException)
            {
                // Upstream answers with its decoder's error as a 500; the words are kept, the code is 400.
                throw StatusErrors.BadRequest(GoJsonTypes.Explain(json.ToArray(), KubeJson.DeleteOptions, error.Message).Message).AsException();
            }
        }, (yamlError, _) => StatusErrors.BadRequest(yamlError), cancellationToken, emptyIsNone: true);

        options ??= FromQuery(request.Query);
        Validate(options);
        return options;
    }

    /// <summary>Upstream's <c>Convert_url_Values_To_v1_DeleteOptions</c>.</summary>
    private static V1DeleteOptions FromQuery(IQueryCollection query) => new()
    {
        GracePeriodSeconds = QueryConversion.OptionalInt64(query["gracePeriodSeconds"]),
        OrphanDependents = QueryConversion.OptionalBool(query["orphanDependents"]),
        PropagationPolicy = QueryConversion.String(query["propagationPolicy"]),
        DryRun = query["dryRun"] is { Count: > 0 } dryRun ? dryRun.Select(value => value ?? "").ToList() : null,
    };

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

        failures.AddRange(WriteOptions.DryRunFailures(options.DryRun ?? []));
        failures.ThrowIfAny("DeleteOptions.meta.k8s.io", "");
    }
}
