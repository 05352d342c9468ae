namespace PodStatus.Api.Registry;

/// <summary>Time as metav1.Time keeps it.</summary>
public static class Timestamps
{
    /// <summary>Whole seconds, UTC.</summary>
    public static DateTime Truncate(DateTimeOffset now) =>
        new(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
