using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace PodStatus.Api.Audit;

/// <summary>The <c>Audit</c> settings: kube-apiserver's <c>--audit-log-path</c> (<c>-</c> for standard output).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Where the events go, one JSON line each; none when empty.</summary>
    public string? LogPath { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(LogPath);
}

/// <summary>
/// Writes audit events to the log, one JSON line each, in the order they are recorded. Requests hand events over
/// without waiting for the disk (a bounded queue, so a disk that cannot keep up slows writes rather than losing
/// events, as upstream's blocking log backend); a single writer appends them, and what is queued is written before
/// the server stops.
/// </summary>
public sealed class AuditLog(IOptions<AuditOptions> options) : BackgroundService
{
    private static readonly JsonTypeInfo<AuditEvent> Json = (JsonTypeInfo<AuditEvent>)new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = AuditJson.Default,
    }.GetTypeInfo(typeof(AuditEvent));

    private readonly Channel<AuditEvent> _events = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ValueTask RecordAsync(AuditEvent audit) => _events.Writer.WriteAsync(audit);

    /// <summary>The MicroTime format of audit timestamps.</summary>
    public static string MicroTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // No more events; the writer drains the queue and ends.
        _events.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.LogPath is not { Length: > 0 } path)
        {
            return;
        }

        await using var output = path == "-"
            ? Console.OpenStandardOutput()
            : new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
        // Not stoppingToken: what is queued when the server stops is still written.
        while (await _events.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (_events.Reader.TryRead(out var audit))
            {
                await JsonSerializer.SerializeAsync(output, audit, Json, CancellationToken.None);
                output.WriteByte((byte)'\n');
            }

            await output.FlushAsync(CancellationToken.None);
        }
    }
}

/// <summary>An <c>audit.k8s.io/v1</c> Event at level Metadata: who did what to which object, and how it ended.</summary>
public sealed record AuditEvent(
    string AuditID,
    string RequestURI,
    string Verb,
    AuditUser User,
    IReadOnlyList<string> SourceIPs,
    string? UserAgent,
    AuditObjectReference? ObjectRef,
    AuditResponseStatus ResponseStatus,
    string RequestReceivedTimestamp,
    string StageTimestamp,
    IReadOnlyDictionary<string, string>? Annotations)
{
    [JsonPropertyOrder(-4)]
    public string Kind => "Event";

    [JsonPropertyOrder(-3)]
    public string ApiVersion => "audit.k8s.io/v1";

    [JsonPropertyOrder(-2)]
    public string Level => "Metadata";

    [JsonPropertyOrder(-1)]
    public string Stage => "ResponseComplete";
}

public sealed record AuditUser(string Username, string? Uid, IReadOnlyList<string> Groups);

public sealed record AuditObjectReference(string Resource, string? Namespace, string? Name, string? ApiGroup, string ApiVersion, string? Subresource);

/// <summary>The response's Status: its code, and for a failure its status, message and reason.</summary>
public sealed record AuditResponseStatus(int Code, string? Status = null, string? Message = null, string? Reason = null)
{
    public EmptyMetadata Metadata { get; } = new();
}

public sealed record EmptyMetadata;

/// <summary>The audit event's JSON metadata, made at build time: writing it needs no reflection.</summary>
[JsonSerializable(typeof(AuditEvent))]
internal sealed partial class AuditJson : JsonSerializerContext;
