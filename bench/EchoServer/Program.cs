// The baseline: bare Kestrel that sends the request body straight back, with no routing, parsing or copies.
// PodStatus's throughput is reported as a ratio to this, measured in the same run.
// GET /bytes?n=N sends N bytes from memory in 64 KiB writes: the baseline of a list's transfer rate (bench/scale.sh).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var block = new byte[64 * 1024];
Array.Fill(block, (byte)' ');
app.Run(async context =>
{
    if (context.Request.Path == "/bytes")
    {
        context.Response.ContentType = "application/json";
        for (var left = long.Parse(context.Request.Query["n"]!); left > 0; left -= block.Length)
        {
            await context.Response.Body.WriteAsync(block.AsMemory(0, (int)Math.Min(left, block.Length)));
        }

        return;
    }

    var input = context.Request.BodyReader;
    context.Response.ContentType = "application/json";
    while (true)
    {
        var result = await input.ReadAsync();
        if (result.IsCompleted)
        {
            context.Response.ContentLength = result.Buffer.Length;
            foreach (var segment in result.Buffer)
            {
                await context.Response.BodyWriter.WriteAsync(segment);
            }

            input.AdvanceTo(result.Buffer.End);
            break;
        }

        input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
    }
});
app.Run();
