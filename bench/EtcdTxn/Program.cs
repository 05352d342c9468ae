// The baseline for PUT pods/{name}/status on etcd: the same compare-and-swap PodStatus makes per write, straight
// from dotnet-etcd. Each worker rewrites a key of its own with a value as large as the stored pod; each transaction
// puts if the key is still at the revision the worker last saw, else reads it (as PodStatus's transaction does).
//   dotnet EtcdTxn.dll ENDPOINTS SOURCE_KEY WORKERS SECONDS   -> successful writes per second
using System.Diagnostics;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;

var (endpoints, sourceKey, workers, seconds) = (args[0], args[1], int.Parse(args[2]), double.Parse(args[3]));
using var client = new EtcdClient(endpoints, configureChannelOptions: o => o.MaxReceiveMessageSize = null);
var kv = client.GetConnection().KVClient;
var value = (await kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(sourceKey) })).Kvs.Single().Value;
var writes = 0L;
var stop = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
{
    var key = ByteString.CopyFromUtf8($"/bench/raw-txn-{worker}");
    var seen = (await kv.PutAsync(new PutRequest { Key = key, Value = value })).Header.Revision;
    while (stop.Elapsed.TotalSeconds < seconds)
    {
        var txn = new TxnRequest
        {
            Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, ModRevision = seen } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = value } } },
            Failure = { new RequestOp { RequestRange = new RangeRequest { Key = key } } },
        };
        var response = await kv.TxnAsync(txn);
        if (response.Succeeded)
        {
            seen = response.Header.Revision;
            Interlocked.Increment(ref writes);
        }
        else
        {
            seen = response.Responses[0].ResponseRange.Kvs[0].ModRevision;
        }
    }
}));
Console.WriteLine($"{writes / stop.Elapsed.TotalSeconds:F0}");
