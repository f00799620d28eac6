namespace ReplDash.Web.Store.Metrics;

/// <summary>
/// One node's metrics at one moment (or averaged over one minute), so that charts have history after a
/// restart. Positions are logical byte offsets (Redis's repl offset), the only scale on which positions of
/// different binlog files can be drawn on one axis. Null: the metric does not apply to this node's role.
/// </summary>
public sealed class MetricSampleRecord
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>Which node.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>1 (one sample per second, kept an hour) or 60 (one per minute, kept a day).</summary>
    public int ResolutionSeconds { get; set; }

    /// <summary>Start of the sampled second or minute, Unix milliseconds (UTC).</summary>
    public long TimeUnixMs { get; set; }

    /// <summary>Commands per second.</summary>
    public double OpsPerSecond { get; set; }

    /// <summary>Bytes of log items appended per second (binlog on a master, relay log on a slave).</summary>
    public double WriteBytesPerSecond { get; set; }

    /// <summary>Logical offset of the binlog (or relay log) end.</summary>
    public long EndLogical { get; set; }

    /// <summary>Logical offset up to which the log is durable; null when it is in another file than the end.</summary>
    public long? DurableLogical { get; set; }

    /// <summary>Logical offset the data reflects.</summary>
    public long? AppliedLogical { get; set; }

    /// <summary>Slave: relay log durable up to here.</summary>
    public long? RelaySyncedLogical { get; set; }

    /// <summary>Slave: the master's send position on this slave's link.</summary>
    public long? SentLogical { get; set; }

    /// <summary>Slave: what the master has had acknowledged by this slave.</summary>
    public long? AckedLogical { get; set; }

    /// <summary>Slave: bytes behind the master.</summary>
    public long? LagBytes { get; set; }

    /// <summary>Slave: transactions behind the master (null when unknown).</summary>
    public long? LagItems { get; set; }

    /// <summary>Slave: age of the oldest unapplied write, milliseconds.</summary>
    public long? LagMs { get; set; }

    /// <summary>Slave: median send-to-ack time on its link, microseconds.</summary>
    public long? AckLatencyP50Us { get; set; }

    /// <summary>Slave: 99th percentile send-to-ack time on its link, microseconds.</summary>
    public long? AckLatencyP99Us { get; set; }

    /// <summary>Slave: send-to-ack time of the ack that arrived in this second (null: none arrived), microseconds.</summary>
    public long? AckLatencyLastUs { get; set; }

    /// <summary>Slave: items in its sync window (sent, not acknowledged).</summary>
    public int? InFlightItems { get; set; }

    /// <summary>Slave: bytes in its sync window.</summary>
    public long? InFlightBytes { get; set; }
}
