namespace ReplDash.Engine.Node;

/// <summary>What one node needs to know to run, resolved from configuration.</summary>
/// <param name="NodeId">Unique id; also the origin of the transactions this node writes.</param>
/// <param name="DataDirectory">The node's own folder: binlog/ and store.db.</param>
/// <param name="SyncBinlog">1: fsync each group before answering; N: every N groups; 0: the OS decides.</param>
/// <param name="BinlogSegmentBytes">Segment rotation size.</param>
/// <param name="CheckpointIntervalMs">How often the SQLite store catches up with memory.</param>
/// <param name="UnsafeAnswerBeforeBinlogWrite">Test-only fault: answer writes before they reach the binlog file.</param>
/// <param name="BinlogWriteDelayMs">Test-only fault: pause before each group write, like a very slow disk.</param>
public sealed record NodeSettings(string NodeId, string DataDirectory, int SyncBinlog, long BinlogSegmentBytes, int CheckpointIntervalMs,
    bool UnsafeAnswerBeforeBinlogWrite = false, int BinlogWriteDelayMs = 0)
{
    public string BinlogDirectory => Path.Combine(DataDirectory, "binlog");
    public string StorePath => Path.Combine(DataDirectory, "store.db");
}
