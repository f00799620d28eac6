using System.Net;

namespace ReplDash.Engine.Resp;

/// <summary>What CLIENT LIST and INFO clients show about one connection.</summary>
public sealed class ClientInfo(long id, EndPoint? remote, EndPoint? local)
{
    public long Id { get; } = id;
    public EndPoint? Remote { get; } = remote;
    public EndPoint? Local { get; } = local;
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;
    public string Name { get; set; } = "";
    public string LastCommand { get; set; } = "NULL";

    /// <summary>The numbered database the connection selected (SELECT).</summary>
    public int Database { get; set; }
    /// <summary>While the client waits in a blocking pop: ends the wait (true: with the UNBLOCKED error); false when it was no longer blocked. CLIENT UNBLOCK calls it.</summary>
    public volatile Func<bool, bool>? Unblock;

    /// <summary>One CLIENT LIST line in Redis's format (the fields this server knows).</summary>
    public string ToListLine(DateTimeOffset now) =>
        $"id={Id} addr={Remote} laddr={Local} fd=-1 name={Name} age={(long)(now - ConnectedAt).TotalSeconds} idle=0 flags=N db={Database} sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={LastCommand.ToLowerInvariant()} user=default redir=-1 resp=2";
}
