// The baseline: bare Kestrel that sends the request body straight back, with no routing, parsing or copies.
// PodStatus's throughput is reported as a ratio to this, measured in the same run.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.Run(async context =>
{
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
