using PodStatus.Api.Serialization;

namespace PodStatus.Api.Tests.Storage;

/// <summary>The per-thread scratch buffer: a use inside another (an encoding while a patch is written) must not
/// empty the buffer the outer use is still writing.</summary>
public sealed class ScratchJsonTests
{
    [Fact]
    public void ANestedUse_GetsABufferOfItsOwn_AndTheThreadsIsReusedOnceGivenBack()
    {
        System.Buffers.ArrayBufferWriter<byte> outerBuffer;
        using (var outer = ScratchJson.Rent())
        {
            outerBuffer = outer.Buffer;
            outer.Writer.WriteStartArray();
            outer.Writer.WriteStringValue("outer");
            using (var inner = ScratchJson.Rent())
            {
                Assert.NotSame(outer.Buffer, inner.Buffer);
                inner.Writer.WriteStringValue("inner");
                inner.Writer.Flush();
            }

            outer.Writer.WriteEndArray();
            outer.Writer.Flush();
            Assert.Equal("[\"outer\"]", System.Text.Encoding.UTF8.GetString(outer.Buffer.WrittenSpan));
        }

        using var next = ScratchJson.Rent();
        Assert.Same(outerBuffer, next.Buffer);
        Assert.Equal(0, next.Buffer.WrittenCount);
    }
}
