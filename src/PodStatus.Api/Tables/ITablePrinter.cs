using PodStatus.Api.Storage;

namespace PodStatus.Api.Tables;

/// <summary>
/// How a resource prints in a Table: the columns kubectl shows (priority 0) and adds for <c>-o wide</c> (priority 1),
/// and each object's cells, as kube-apiserver's printers make them (<c>pkg/printers/internalversion/printers.go</c>).
/// </summary>
public interface ITablePrinter
{
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>One cell per column: a string, or a number for an integer column.</summary>
    IReadOnlyList<object> Cells(StoredObject value, DateTime now);
}

/// <summary>A column of a meta.k8s.io/v1 Table.</summary>
public sealed record TableColumn(string Name, string Format, int Priority, string Description, string Type = "string");
