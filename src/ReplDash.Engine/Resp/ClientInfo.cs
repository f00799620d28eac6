using System.Net;

namespace ReplDash.Engine.Resp;

/// <summary>What CLIENT LIST and INFO clients show about one connection, and how CLIENT KILL ends it.</summary>
/// <param name="id">The client's number (CLIENT ID).</param>
/// <param name="remote">The peer's address.</param>
/// <param name="local">The listener's address.</param>
/// <param name="connectedAt">When it connected, on the host's clock (CLIENT LIST's age).</param>
public sealed class ClientInfo(long id, EndPoint? remote, EndPoint? local, DateTimeOffset connectedAt)
{
    public long Id { get; } = id;
    public EndPoint? Remote { get; } = remote;
    public EndPoint? Local { get; } = local;
    public DateTimeOffset ConnectedAt { get; } = connectedAt;
    public string Name { get; set; } = "";
    public string LastCommand { get; set; } = "NULL";

    /// <summary>The numbered database the connection selected (SELECT).</summary>
    public int Database { get; set; }
    /// <summary>While the client waits in a blocking pop: ends the wait (true: with the UNBLOCKED error); false when it was no longer blocked. CLIENT UNBLOCK calls it.</summary>
    public volatile Func<bool, bool>? Unblock;

    /// <summary>CLIENT SETINFO lib-name (Redis 7.2's client library attribute).</summary>
    public string LibraryName { get; set; } = "";

    /// <summary>CLIENT SETINFO lib-ver.</summary>
    public string LibraryVersion { get; set; } = "";

    /// <summary>RESP version of the connection: 2, or 3 after HELLO 3.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>Channels subscribed.</summary>
    public int Channels { get; set; }

    /// <summary>Patterns subscribed.</summary>
    public int Patterns { get; set; }

    /// <summary>In MONITOR mode.</summary>
    public bool Monitoring { get; set; }

    /// <summary>Inside MULTI.</summary>
    public bool InTransaction { get; set; }

    /// <summary>CLIENT NO-EVICT on (accepted and shown; there is no eviction here).</summary>
    public bool NoEvict { get; set; }

    /// <summary>Ends the connection (CLIENT KILL); set by the session that serves it.</summary>
    public Action? Kill { get; set; }

    /// <summary>Redis's client flags letters: N (none), P (pub/sub), O (monitor), x (in MULTI), e (no-evict).</summary>
    public string Flags
    {
        get
        {
            string flags = (Monitoring ? "O" : "") + (Channels + Patterns > 0 ? "P" : "") + (InTransaction ? "x" : "") + (NoEvict ? "e" : "");
            return flags.Length == 0 ? "N" : flags;
        }
    }

    /// <summary>Redis's CLIENT LIST type: pubsub, monitor (shown as normal by Redis 7.0 too, with flag O) or normal.</summary>
    public string Type => Channels + Patterns > 0 ? "pubsub" : "normal";

    /// <summary>One CLIENT LIST line in Redis's format (the fields this server knows).</summary>
    /// <param name="now">For the age.</param>
    /// <param name="queryBufferBytes">qbuf: the caller's own command is still in its query buffer (Redis shows its size).</param>
    public string ToListLine(DateTimeOffset now, long queryBufferBytes = 0) =>
        $"id={Id} addr={Remote} laddr={Local} fd=-1 name={Name} age={(long)(now - ConnectedAt).TotalSeconds} idle=0 flags={Flags} db={Database} sub={Channels} psub={Patterns} ssub=0 multi={(InTransaction ? 0 : -1)} qbuf={queryBufferBytes} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={LastCommand.ToLowerInvariant()} user=default redir=-1 resp={Protocol} lib-name={LibraryName} lib-ver={LibraryVersion}";
}
