using System.Net;

namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>A request body sent in two halves, the second when the test says.</summary>
public sealed class HalfThenRest(byte[] bytes) : HttpContent
{
    private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task HalfSent => _halfSent.Task;

    public void SendRest() => _rest.SetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await stream.FlushAsync();
        _halfSent.SetResult();
        await _rest.Task;
        await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return true;
    }
}
