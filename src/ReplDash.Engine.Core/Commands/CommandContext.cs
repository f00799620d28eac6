using System.Buffers;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// What a data command runs with. The caller holds the keyspace's lock for the whole call.
/// </summary>
public sealed class CommandContext
{
    /// <summary>A context over a single database 0 holding <paramref name="keyspace"/>.</summary>
    public CommandContext(Keyspace.KeyspaceStore keyspace, IBufferWriter<byte> reply, long? nowMs, Random random)
        : this(new Keyspace.KeyspaceDatabases(keyspace), reply, nowMs, random)
    {
    }

    /// <summary>A context over numbered databases, starting in database 0.</summary>
    public CommandContext(Keyspace.KeyspaceDatabases databases, IBufferWriter<byte> reply, long? nowMs, Random random)
    {
        Databases = databases;
        Reply = reply;
        NowMs = nowMs;
        Random = random;
    }

    /// <summary>The data of the selected database (<see cref="Database"/>): what a command reads and writes.</summary>
    public Keyspace.KeyspaceStore Keyspace => Databases[Database];

    /// <summary>Every numbered database (SELECT, SWAPDB, MOVE, FLUSHALL).</summary>
    public Keyspace.KeyspaceDatabases Databases { get; }

    /// <summary>
    /// The selected database. The caller sets it to the client's before a command and reads it back after (SELECT,
    /// also inside MULTI, changes it); an applier starts every binlog item in database 0.
    /// </summary>
    public int Database { get; set; }

    /// <summary>Where the RESP reply goes (exactly one RESP value per command).</summary>
    public IBufferWriter<byte> Reply { get; set; }

    /// <summary>
    /// The RESP version of the client the reply goes to (2, or 3 after HELLO 3), carried by the reply buffer. Write
    /// replies whose form differs between the versions with RespWriter's MapHeader, SetHeader, Double and Null; they
    /// read it from <see cref="Reply"/> themselves.
    /// </summary>
    public int Protocol => Resp.RespWriter.ProtocolOf(Reply);

    /// <summary>
    /// The master's clock in Unix milliseconds. Null while applying replicated or replayed binlog items:
    /// then no key expires on this node's clock and no effects are recorded, so that a replica and a
    /// recovering node reach exactly the state the master logged.
    /// </summary>
    public long? NowMs { get; set; }

    /// <summary>
    /// A clock used only to display TTL/PTTL (and as the base of a relative expiry) when
    /// <see cref="NowMs"/> is null, e.g. a replica answering a client. It never makes a key expire.
    /// </summary>
    public long? ReadClockMs { get; set; }

    /// <summary>The clock for computing remaining time and relative expiries: the master's, else the read clock, else 0.</summary>
    public long ClockForDisplayMs => NowMs ?? ReadClockMs ?? 0;

    /// <summary>
    /// True while the master may log nothing (a restarted master waiting for its slaves, lesson L5): a read that meets a
    /// key whose expiry has passed answers as if it were gone but leaves it in place and records no DEL; active expiry
    /// deletes it once the master logs again.
    /// </summary>
    public bool DefersExpiryDeletes { get; set; }

    /// <summary>True while applying logged effects (replay, replica apply).</summary>
    public bool IsApplying => NowMs is null;

    /// <summary>
    /// The replicated form of what the commands changed, in order: deterministic commands as the client
    /// sent them (INCR, APPEND, LPUSH...), others rewritten (EXPIRE k 10 to PEXPIREAT k t, SET EX to SET PXAT,
    /// SPOP to SREM of the chosen members, lazy expiry to DEL). Empty when nothing changed. These become
    /// the payload of one binlog item.
    /// </summary>
    public List<byte[][]> Effects { get; } = new();

    /// <summary>Randomness for SPOP and the like; the choice made is logged as an effect.</summary>
    public Random Random { get; }

    /// <summary>
    /// True while a blocking command (BLPOP...) may block: a client outside MULTI on the master. Otherwise such a
    /// command answers at once as if it had timed out, as Redis does inside MULTI.
    /// </summary>
    public bool BlockingAllowed { get; set; }

    /// <summary>
    /// Set by a blocking command that found nothing to serve while <see cref="BlockingAllowed"/>: what the client
    /// waits for. It wrote no reply; the caller registers the request and answers when it is served or times out.
    /// </summary>
    public BlockingRequest? Block { get; set; }

    // The database the effects recorded so far leave the replayer in (each item starts in database 0).
    private int _effectsDatabase;

    /// <summary>
    /// Records one effect unless applying (applied items are already logged). An effect in another database than the
    /// previous one (or than 0, first in the item) is preceded by a <c>SELECT n</c> effect, as in Redis's replication
    /// stream, so that replaying the item's effects in order changes the same databases.
    /// </summary>
    public void RecordEffect(params byte[][] command)
    {
        if (IsApplying)
            return;
        int current = Effects.Count == 0 ? 0 : _effectsDatabase;
        if (Database != current)
            Effects.Add([DatabaseCommands.SelectName, IntegerText.Format(Database)]);
        _effectsDatabase = Database;
        Effects.Add(command);
    }
}
