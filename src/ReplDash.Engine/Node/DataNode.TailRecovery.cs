using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Node;

/// <summary>
/// Lesson L5, the master's side: a master heals from its slaves. A restarted master whose configured slaves may hold
/// more than its binlog (a tail lost to damage or to a power loss under SyncBinlog≠1) refuses client writes until
/// each slave has reported in TrySync (or ReplDash:Replication:HealWaitMs passed): a write taken before would fork
/// history at the very position a slave holds an acknowledged transaction. Items a slave sends back are verified as
/// the master's own (<see cref="HistoryRules"/>), appended, synced and applied like any transaction.
/// </summary>
public sealed partial class DataNode
{
    private readonly object _healGate = new();
    private readonly HashSet<string> _slavesHeard = new(StringComparer.Ordinal);
    private readonly List<string> _tailsRecovered = new();
    private volatile bool _awaitingSlaves;
    private BinlogPosition _healWaitStartedAt;

    /// <summary>Serialises TrySync decisions and the tail recoveries they lead to (two slaves sending back at once
    /// would each have to continue the same end).</summary>
    public SemaphoreSlim TrySyncGate { get; } = new(1, 1);

    /// <summary>
    /// True while a restarted master refuses client writes (LOADING) until its slaves have reported their relay
    /// logs. Reads are served.
    /// </summary>
    public bool AwaitingSlaves => _awaitingSlaves;

    /// <summary>
    /// At start (under no lock yet, before the node runs): a master with configured slaves and a binlog that holds
    /// history (or lost a torn tail) waits for them before it serves writes. A brand-new binlog has nothing to lose.
    /// </summary>
    private void BeginAwaitingSlaves(RecoveredBinlog log)
    {
        int waitMs = _settings.Replication.HealWaitMs;
        bool holdsHistory = log.End > log.Start || log.TornTail is not null;
        if (Role != NodeRole.Master || _settings.ConfiguredSlaves == 0 || waitMs <= 0 || !holdsHistory
            || _settings.Faults.UnsafeOverwriteSlaveHistory)
            return;
        _awaitingSlaves = true;
        _healWaitStartedAt = log.End;
        Publish("heal-wait-start",
            $"Master {Id} restarted at {log.End}: client writes are refused (LOADING) until its {_settings.ConfiguredSlaves} configured " +
            $"slave(s) report their relay logs, at most {waitMs} ms, so that a slave holding items this binlog lost can give them back.");
        _ = EndAwaitingSlavesAfterAsync(TimeSpan.FromMilliseconds(waitMs));
    }

    private async Task EndAwaitingSlavesAfterAsync(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _time, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        string heard;
        lock (_healGate)
            heard = _slavesHeard.Count == 0 ? "none" : string.Join(", ", _slavesHeard.Order(StringComparer.Ordinal));
        EndAwaitingSlaves($"the wait of {wait.TotalMilliseconds:0} ms passed (slaves heard: {heard})");
    }

    /// <summary>A sync session has answered a slave's TrySync (whatever the outcome): that slave has reported.</summary>
    public void OnSlaveReported(string slaveId)
    {
        if (!_awaitingSlaves)
            return;
        string? heard = null;
        lock (_healGate)
        {
            _slavesHeard.Add(slaveId);
            if (_slavesHeard.Count >= _settings.ConfiguredSlaves)
                heard = string.Join(", ", _slavesHeard.Order(StringComparer.Ordinal));
        }
        if (heard is not null)
            EndAwaitingSlaves($"every configured slave reported ({heard})");
    }

    private void EndAwaitingSlaves(string reason)
    {
        string recovered;
        lock (_healGate)
        {
            if (!_awaitingSlaves)
                return;
            _awaitingSlaves = false;
            recovered = _tailsRecovered.Count == 0
                ? $"no slave was ahead of {_healWaitStartedAt}"
                : "recovered " + string.Join("; ", _tailsRecovered);
        }
        Publish("heal-wait-end", $"Master {Id} accepts writes at {Positions().End}: {reason}; {recovered}.");
    }

    /// <summary>While the master waits for its slaves, a write (or a transaction holding one) gets a LOADING error.</summary>
    private bool RefuseWriteWhileAwaitingSlaves(IEnumerable<CommandSpec> specs, System.Buffers.IBufferWriter<byte> reply)
    {
        if (!_awaitingSlaves || !specs.Any(spec => (spec.Flags & CommandFlags.Write) != 0))
            return false;
        Core.Resp.RespWriter.Error(reply,
            $"LOADING master {Id} restarted and waits for its slaves' relay logs before it accepts writes (at most {_settings.Replication.HealWaitMs} ms)");
        return true;
    }

    /// <summary>
    /// Under the node lock, before the master logs an item no client command asked for (a check marker, a repair): while
    /// it waits for its slaves, that item would fork history like any write, so it is refused with the same LOADING reason.
    /// </summary>
    private void EnsureNotAwaitingSlaves(string what)
    {
        if (_awaitingSlaves)
            throw new NodeUnavailableException(
                $"master {Id} restarted and waits for its slaves' relay logs before it logs {what} (at most {_settings.Replication.HealWaitMs} ms)", "LOADING");
    }

    /// <summary>Decides a slave's TrySync against this master's binlog (lesson L1 and L5).</summary>
    public TrySyncReply DecideTrySync(TrySync request) =>
        TrySyncRules.Decide(request, BinlogView(), _settings.Faults.UnsafeOverwriteSlaveHistory);

    /// <summary>
    /// Takes back items a slave sent: each must continue this master's own history exactly (checksum, position,
    /// origin, sequence); then all of them are appended to the binlog and applied, like transactions written here.
    /// Nothing is appended when one of them is refused.
    /// </summary>
    /// <returns>The binlog end after them, and the refusal (null when taken).</returns>
    public (BinlogPosition End, string? Problem) RestoreTailItems(IReadOnlyList<ShippedItem> items)
    {
        lock (_gate)
        {
            EnsureRunning();
            var end = new OwnHistoryEnd(Id, _log!.End, _sequence);
            var verified = new List<(ShippedItem Shipped, BinlogItem Item)>(items.Count);
            foreach (var shipped in items)
            {
                var check = HistoryRules.CheckTailItem(end, shipped.Start, shipped.Encoded);
                if (!check.Valid)
                    return (_log.End, check.Problem);
                // Checked before anything is appended: an item that could not be applied would leave the log ahead of memory.
                if (check.Item!.Commands.FirstOrDefault(c => c.Length == 0 || CommandTable.Find(c[0]) is null) is not null)
                    return (_log.End, $"the transaction {check.Item.Id} at {shipped.Start} holds a command this engine does not know");
                verified.Add((shipped, check.Item!));
                end = check.Next;
            }
            var applier = new ItemApplier(_keyspace);
            foreach (var (shipped, item) in verified)
            {
                var (_, itemEnd) = _log.AppendEncoded(shipped.Encoded, shipped.Start);
                applier.Apply(item);
                _sequence = item.Id.Sequence;
                _lastTransactionId = item.Id;
                _applied = itemEnd;
                _appliedLogical = _log.EndLogicalOffset;
                // Readers wait for it like for any write of this master (it is visible once committed).
                _pending.RecordWholeDataset(itemEnd);
                SemiSyncAppended(itemEnd);
            }
            return (_log.End, null);
        }
    }

    /// <summary>Completes once the binlog is synced (and so may be shipped) up to <paramref name="end"/>.</summary>
    public Task WaitShippableAsync(BinlogPosition end)
    {
        _log!.RequestSync();
        return _logged.WaitAsync(end);
    }

    /// <summary>Records what was taken back from whom (the heal-wait-end event repeats it).</summary>
    public void RecordTailRecovered(string slaveId, int items, BinlogPosition from, BinlogPosition to, TransactionId first, TransactionId last)
    {
        string summary = $"{items} item(s) {first}..{last} from {from} to {to} from slave {slaveId}";
        lock (_healGate)
            _tailsRecovered.Add(summary);
        Publish("tail-recovered", $"Master {Id} took back {summary}: they continue its own history (checksums, positions, ids), " +
            "are appended to its binlog, synced and applied.");
    }
}
