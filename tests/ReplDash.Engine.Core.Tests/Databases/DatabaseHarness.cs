using System.Buffers;
using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Tests.Databases;

/// <summary>
/// One client over numbered databases, as a node runs it: the selected database persists between commands (SELECT
/// changes it), and the effects of each command (or of a MULTI block) become one binlog item.
/// </summary>
internal sealed class DatabaseHarness
{
    private readonly CommandContext _context;

    public DatabaseHarness(int databases = 16, long? nowMs = 1_000_000, int seed = 1)
    {
        Databases = new KeyspaceDatabases(databases);
        _context = new CommandContext(Databases, new ArrayBufferWriter<byte>(), nowMs, new Random(seed));
    }

    public KeyspaceDatabases Databases { get; }

    /// <summary>The client's selected database.</summary>
    public int Selected => _context.Database;

    /// <summary>The master clock (null: a replica applying).</summary>
    public long? NowMs { get => _context.NowMs; set => _context.NowMs = value; }

    /// <summary>Every binlog item the commands so far produced (one per command or block that changed something).</summary>
    public List<BinlogItem> Items { get; } = new();

    /// <summary>Effects of the last item, as space-separated text.</summary>
    public List<string> LastEffects { get; private set; } = new();

    public string Run(string line) => Block(line)[0];

    /// <summary>Runs several commands as one transaction (one item), returning each reply.</summary>
    public List<string> Block(params string[] lines)
    {
        var replies = new List<string>();
        foreach (var line in lines)
        {
            var args = line.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();
            var spec = CommandTable.Find(args[0]) ?? throw new InvalidOperationException("unknown command " + line);
            var reply = new ArrayBufferWriter<byte>();
            _context.Reply = reply;
            if (!spec.AcceptsArgumentCount(args.Length))
            {
                replies.Add($"-{CommandErrors.WrongArgumentCount(spec.Name)}\r\n");
                continue;
            }
            spec.Handler(_context, args);
            replies.Add(Encoding.UTF8.GetString(reply.WrittenSpan));
        }
        LastEffects = _context.Effects.Select(e => string.Join(' ', e.Select(a => Encoding.UTF8.GetString(a)))).ToList();
        if (_context.Effects.Count > 0)
            Items.Add(new BinlogItem(BinlogItemType.Transaction, new TransactionId("m1", Items.Count + 1), 0, _context.Effects.ToArray()));
        _context.Effects.Clear();
        return replies;
    }

    public void Expect(string line, string reply) => Xunit.Assert.Equal(reply, Run(line));

    /// <summary>Runs active expiry over every database, as the node's sweep does (one item).</summary>
    public void Sweep()
    {
        int selected = _context.Database;
        for (int i = 0; i < Databases.DatabaseCount; i++)
        {
            _context.Database = i;
            Databases[i].SweepExpired(_context, 100);
        }
        _context.Database = selected;
        if (_context.Effects.Count > 0)
            Items.Add(new BinlogItem(BinlogItemType.Transaction, new TransactionId("m1", Items.Count + 1), 0, _context.Effects.ToArray()));
        _context.Effects.Clear();
    }
}
