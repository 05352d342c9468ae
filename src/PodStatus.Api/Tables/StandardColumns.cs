namespace PodStatus.Api.Tables;

/// <summary>The columns every kind's table shares, described as upstream describes them (ObjectMeta's field docs).</summary>
public static class StandardColumns
{
    public static readonly TableColumn Name = new("Name", "name", 0, "Name must be unique within a namespace.");

    public static readonly TableColumn Age = new("Age", "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.");
}
