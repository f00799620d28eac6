namespace ReplDash.Web.Health;

/// <summary>What each metric on the dashboard means, in one sentence, for tooltips: one wording everywhere.</summary>
public static class MetricHelp
{
    public const string Role = "master takes writes and ships its binlog; slave mirrors a master's binlog and applies it.";
    public const string State = "The node's lifecycle: starting (recovering), running, stopped or failed.";
    public const string Health = "Green: streaming and caught up (a master: semi-sync ON or disabled, acks on time). Blue: full resync in progress. Amber: handshake, connecting, lagging, or a slave's acks late. Red: link down or dropped within the link timeout, semi-sync OFF, node stopped or failed.";
    public const string Resync = "A full resync: the slave discards its data and position and loads a fresh snapshot from its master, then streams from the snapshot's position.";
    public const string BinlogEnd = "Where the next log item will be written (a slave: the end of its relay log, in the master's coordinates).";
    public const string Durable = "Everything before this position is fsynced to disk.";
    public const string Applied = "The node's data reflects every item before this position.";
    public const string Received = "End of the relay log: the last item received from the master.";
    public const string RelaySynced = "The relay log is fsynced up to here; the slave acknowledges up to this point.";
    public const string Sent = "The master's view: end of the last item it sent to this slave.";
    public const string Acked = "The master's view: end of the last item this slave acknowledged as durable in its relay log.";
    public const string Keys = "Keys in the node's dataset, every numbered database (SELECT n) together; the value's tooltip lists each database.";
    public const string Ops = "Commands processed per second, averaged over about a second.";
    public const string LagItems = "Transactions the master has that this slave has not applied yet.";
    public const string LagBytes = "Bytes of binlog the master has that this slave has not applied yet.";
    public const string LagMs = "How old the oldest write not yet applied here is; 0 when caught up.";
    public const string LinkState = "The slave's replication link: connecting, handshake, draining, full-resync, streaming or down.";
    public const string SemiSync = "Semi-synchronous replication on this master: ON while writes wait for slave acks, OFF after a timeout; n/a until the engine reports it.";
    public const string LastEvent = "The most recent event this node published (see the Events page).";
    public const string WriteRate = "Bytes appended per second to the masters' binlogs, over the last two minutes.";
    public const string SyncWindow = "Items sent to the slave and not yet acknowledged, against the window's capacity (items and bytes). The darker part is what the last ack released.";
    public const string AckRange = "How much the last ack released from the window; an ack is never wider than the window.";
    public const string AckLatency = "Send-to-ack time: from the master sending an item until the slave acknowledges it durable.";
    public const string ApplyTime = "How long the slave took to apply each recent item; the line is the slow-apply threshold.";
    public const string WindowCorruptions = "Acks refused because they did not match the window exactly; each one resets the link.";
}
