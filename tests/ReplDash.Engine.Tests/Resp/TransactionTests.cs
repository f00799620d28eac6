using ReplDash.Engine.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>MULTI/EXEC is one binlog transaction, applied all or nothing.</summary>
public class TransactionTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task MultiExec_WritesOneBinlogItemHoldingEveryCommand()
    {
        using var client = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        var binlogDir = Path.Combine(fixture.App.DataDir, "m1", "binlog");
        int itemsBefore = CountItems(binlogDir);

        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await client.CallAsync("SET", "tx:a", "1"));
        Assert.Equal("QUEUED", await client.CallAsync("INCR", "tx:counter"));
        Assert.Equal("QUEUED", await client.CallAsync("RPUSH", "tx:list", "x", "y"));
        var replies = Assert.IsType<object?[]>(await client.CallAsync("EXEC"));

        Assert.Equal(["OK", 1L, 2L], replies);
        var recovered = BinlogRecovery.Open(binlogDir);
        var items = new BinlogReader(binlogDir).Read(recovered.Start, recovered.End).ToList();
        Assert.Equal(itemsBefore + 1, items.Count);
        Assert.Equal(["SET", "INCR", "RPUSH"], items[^1].Item.Commands.Select(c => System.Text.Encoding.ASCII.GetString(c[0]).ToUpperInvariant()));
    }

    [Fact]
    public async Task QueueingError_AbortsExecAndWritesNothing()
    {
        using var client = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        var binlogDir = Path.Combine(fixture.App.DataDir, "m1", "binlog");

        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal("QUEUED", await client.CallAsync("SET", "abort:a", "1"));
        Assert.IsType<RespError>(await client.CallAsync("NOSUCHCOMMAND"));
        int itemsBefore = CountItems(binlogDir);
        var exec = Assert.IsType<RespError>(await client.CallAsync("EXEC"));

        Assert.StartsWith("EXECABORT", exec.Message);
        Assert.Null(await client.CallAsync("GET", "abort:a"));
        Assert.Equal(itemsBefore, CountItems(binlogDir));
    }

    [Fact]
    public async Task ExecWithoutMulti_AndNestedMulti_AreErrors()
    {
        using var client = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        Assert.Equal(new RespError("ERR EXEC without MULTI"), await client.CallAsync("EXEC"));
        Assert.Equal("OK", await client.CallAsync("MULTI"));
        Assert.Equal(new RespError("ERR MULTI calls can not be nested"), await client.CallAsync("MULTI"));
        Assert.Equal("OK", await client.CallAsync("DISCARD"));
    }

    private static int CountItems(string binlogDir)
    {
        var numbers = BinlogDirectory.ListSegmentNumbers(binlogDir);
        var end = new Core.Binlog.BinlogPosition(numbers[^1], new FileInfo(BinlogDirectory.SegmentPath(binlogDir, numbers[^1])).Length);
        return new BinlogReader(binlogDir).Read(new(numbers[0], 0), end).Count();
    }
}
