namespace PodStatus.Api.Tables;

/// <summary>apimachinery's <c>duration.HumanDuration</c>: the ages kubectl prints (<c>5m20s</c>, <c>3d</c>).</summary>
public static class HumanDuration
{
    /// <summary>A creationTimestamp's age, as the printers' AGE column shows it.</summary>
    public static string Age(DateTime? created, DateTime now) => created is { } since ? Since(since, now) : "<unknown>";

    public static string Since(DateTime since, DateTime now)
    {
        var elapsed = now - since;
        var seconds = (long)elapsed.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return $"{seconds}s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }

        if (minutes < 180)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }

        return $"{hours / 24 / 365}y";
    }

}
