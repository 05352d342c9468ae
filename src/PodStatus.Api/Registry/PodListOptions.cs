using PodStatus.Api.Errors;
using PodStatus.Api.Selection;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Registry;

/// <summary>What a list asks for: selectors and a page.</summary>
public sealed record PodListOptions(LabelSelector Labels, FieldSelector Fields, int? Limit, ContinueToken? Continue)
{
    public static readonly PodListOptions All = new(LabelSelector.Parse(null), FieldSelector.Parse(null), null, null);

    /// <summary>Reads the list query parameters; malformed ones are upstream's 400 BadRequest.</summary>
    public static PodListOptions Parse(string? labelSelector, string? fieldSelector, int? limit, string? continueToken)
    {
        try
        {
            return new PodListOptions(
                LabelSelector.Parse(labelSelector),
                FieldSelector.Parse(fieldSelector),
                limit is > 0 ? limit : null,
                string.IsNullOrEmpty(continueToken) ? null : ContinueToken.Parse(continueToken));
        }
        catch (FormatException error)
        {
            throw StatusErrors.BadRequest(error.Message.StartsWith("field label", StringComparison.Ordinal)
                ? error.Message
                : $"unable to parse requirement: {error.Message}").AsException();
        }
    }
}

/// <summary>
/// One page of a list: its pods in key order, the list's revision, and how to get the next page. A page without a
/// limit is read from its snapshot as it is sent, and releases it when disposed.
/// </summary>
public sealed class PodListPage(
    IAsyncEnumerable<StoredPod> items, long resourceVersion, string? @continue, long? remainingItemCount, IDisposable? snapshot = null) : IDisposable
{
    public IAsyncEnumerable<StoredPod> Items { get; } = items;

    public long ResourceVersion { get; } = resourceVersion;

    public string? Continue { get; } = @continue;

    public long? RemainingItemCount { get; } = remainingItemCount;

    public void Dispose() => snapshot?.Dispose();
}
