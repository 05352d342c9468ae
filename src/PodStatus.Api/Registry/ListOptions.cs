using PodStatus.Api.Errors;
using PodStatus.Api.Selection;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Registry;

/// <summary>What a list asks for: selectors and a page.</summary>
public sealed record ListOptions(LabelSelector Labels, FieldSelector Fields, int? Limit, ContinueToken? Continue)
{
    public static readonly ListOptions All = new(LabelSelector.Everything, FieldSelector.Everything, null, null);

    /// <summary>Reads the list query parameters against the fields <paramref name="fields"/> accepts; malformed ones are upstream's 400.</summary>
    public static ListOptions Parse(string? labelSelector, string? fieldSelector, FieldSet fields, int? limit, string? continueToken) => new(
        ParseLabels(labelSelector),
        ParseFields(fieldSelector, fields),
        limit is > 0 ? limit : null,
        string.IsNullOrEmpty(continueToken) ? null : ContinueToken.Parse(continueToken));

    public static LabelSelector ParseLabels(string? text)
    {
        try
        {
            return LabelSelector.Parse(text);
        }
        catch (FormatException error)
        {
            throw StatusErrors.BadRequest($"unable to parse requirement: {error.Message}").AsException();
        }
    }

    /// <summary>A field the resource does not select on is its conversion's error, as it words it.</summary>
    public static FieldSelector ParseFields(string? text, FieldSet fields)
    {
        try
        {
            return FieldSelector.Parse(text, fields);
        }
        catch (FormatException error)
        {
            throw StatusErrors.BadRequest(error.Message).AsException();
        }
    }
}

/// <summary>
/// One page of a list: its objects in key order, the list's revision, and how to get the next page. A page without a
/// limit is read from its snapshot as it is sent, and releases it when disposed.
/// </summary>
public sealed class ListPage(
    IAsyncEnumerable<StoredObject> items, long resourceVersion, string? @continue, long? remainingItemCount, IDisposable? snapshot = null) : IDisposable
{
    public IAsyncEnumerable<StoredObject> Items { get; } = items;

    public long ResourceVersion { get; } = resourceVersion;

    public string? Continue { get; } = @continue;

    public long? RemainingItemCount { get; } = remainingItemCount;

    public void Dispose() => snapshot?.Dispose();
}
