using System.Text.Json;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Tables;

/// <summary>A printer that reads each stored object as its model type, then makes its cells.</summary>
public abstract class TablePrinter<T> : ITablePrinter
{
    public abstract IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<object> Cells(StoredObject value, DateTime now) => Cells(JsonSerializer.Deserialize(value.Object.Utf8, KubeJson.TypeInfo<T>())!, now);

    protected abstract IReadOnlyList<object> Cells(T value, DateTime now);
}
