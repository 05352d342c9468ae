using CommunityToolkit.HighPerformance.Buffers;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Selection;

/// <summary>
/// An object's labels and the values of the fields its resource makes selectable (upstream's
/// <c>ToSelectableFields</c>), kept beside each stored version as kube-apiserver's watch cache keeps them: lists
/// and watches filter a million objects without decoding one. One array holds the field values, in the order of
/// the resource's <see cref="FieldSet"/>, then the labels as key, value pairs: a pod's cost a few pointers. The
/// strings come from a shared pool, so a million pods on a few nodes hold a few node names, not a million copies.
/// </summary>
public readonly struct SelectableFields
{
    private static readonly string[] Nothing = [];

    private readonly string[]? _values;
    private readonly int _fieldCount;

    private SelectableFields(string[] values, int fieldCount)
    {
        _values = values;
        _fieldCount = fieldCount;
    }

    /// <summary>
    /// The fields' values (pooled, null taken as empty, as Go's zero value) and the labels. The array of values is
    /// taken over, not copied.
    /// </summary>
    public static SelectableFields Of(IDictionary<string, string>? labels, params string?[] fieldValues)
    {
        var values = new string[fieldValues.Length + (labels?.Count ?? 0) * 2];
        for (var i = 0; i < fieldValues.Length; i++)
        {
            values[i] = Pooled(fieldValues[i]);
        }

        CopyLabels(labels, values, fieldValues.Length);
        return new SelectableFields(values, fieldValues.Length);
    }

    private string[] Values => _values ?? Nothing;

    /// <summary>The value of field <paramref name="index"/> of the resource's <see cref="FieldSet"/>.</summary>
    public string Field(int index) => Values[index];

    /// <summary>The value of label <paramref name="key"/>, or null when the object has none.</summary>
    public string? Label(string key)
    {
        var values = Values;
        for (var i = _fieldCount; i < values.Length; i += 2)
        {
            if (values[i] == key)
            {
                return values[i + 1];
            }
        }

        return null;
    }

    /// <summary>The same fields with other labels (itself when they are the same, as on most writes).</summary>
    public SelectableFields WithLabels(IDictionary<string, string>? labels)
    {
        if (SameLabels(labels))
        {
            return this;
        }

        var values = new string[_fieldCount + (labels?.Count ?? 0) * 2];
        Array.Copy(Values, values, _fieldCount);
        CopyLabels(labels, values, _fieldCount);
        return new SelectableFields(values, _fieldCount);
    }

    /// <summary>
    /// The same labels, with the fields at <paramref name="indices"/> set to <paramref name="fieldValues"/>; a value
    /// that has not changed keeps the string held before.
    /// </summary>
    public SelectableFields WithFields(ReadOnlySpan<int> indices, params ReadOnlySpan<string?> fieldValues)
    {
        string[]? values = null;
        for (var i = 0; i < indices.Length; i++)
        {
            if ((fieldValues[i] ?? "") != Values[indices[i]])
            {
                values ??= (string[])Values.Clone();
                values[indices[i]] = Pooled(fieldValues[i]);
            }
        }

        // Unchanged (most status writes change no selectable field): the array held before is shared.
        return values is null ? this : new SelectableFields(values, _fieldCount);
    }

    /// <summary>Whether both hold the same fields and labels, in the same order.</summary>
    public bool SameAs(SelectableFields other) =>
        _fieldCount == other._fieldCount && Values.AsSpan().SequenceEqual(other.Values);

    private bool SameLabels(IDictionary<string, string>? labels)
    {
        if ((labels?.Count ?? 0) * 2 != Values.Length - _fieldCount)
        {
            return false;
        }

        // As many labels as held: the same when each held one is there with its value (no enumerator to box).
        for (var i = _fieldCount; i < Values.Length; i += 2)
        {
            if (!labels!.TryGetValue(Values[i], out var value) || value != Values[i + 1])
            {
                return false;
            }
        }

        return true;
    }

    private static void CopyLabels(IDictionary<string, string>? labels, string[] values, int at)
    {
        foreach (var (key, value) in StringMaps.Entries(labels))
        {
            values[at++] = Pooled(key);
            values[at++] = Pooled(value);
        }
    }

    private static string Pooled(string? value) => string.IsNullOrEmpty(value) ? "" : StringPool.Shared.GetOrAdd(value);
}
