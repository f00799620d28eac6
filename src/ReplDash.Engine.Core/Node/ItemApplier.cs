using System.Buffers;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Node;

/// <summary>
/// Applies logged binlog items to a keyspace: replay after a restart, and (later) a slave's applier.
/// Runs with no clock, so nothing expires locally and no new effects are produced.
/// </summary>
public sealed class ItemApplier
{
    private readonly CommandContext _context;

    /// <summary>An applier over a single database 0.</summary>
    public ItemApplier(KeyspaceStore keyspace) =>
        _context = new CommandContext(keyspace, new DiscardingBufferWriter(), nowMs: null, new Random(0));

    /// <summary>An applier over numbered databases: every item starts in database 0, its SELECT effects switch.</summary>
    public ItemApplier(KeyspaceDatabases databases) =>
        _context = new CommandContext(databases, new DiscardingBufferWriter(), nowMs: null, new Random(0));

    /// <summary>Applies every command of <paramref name="item"/>.</summary>
    /// <exception cref="InvalidDataException">A command the engine does not know, or a database this node does not have:
    /// the log came from something else.</exception>
    public void Apply(BinlogItem item)
    {
        // A check marker changes no data; whoever applies it for a check computes its digest (DataNode). A publish
        // changes no data either: a live slave delivers it (DataNode), replay never delivers an old message again.
        if (item.Type is BinlogItemType.CheckMarker or BinlogItemType.Publish)
            return;
        // Items written before databases existed hold no SELECT: they replay into database 0, as do an item's first effects.
        _context.Database = 0;
        foreach (var command in item.Commands)
        {
            var spec = CommandTable.Find(command[0])
                ?? throw new InvalidDataException($"Binlog item {item.Id} holds unknown command '{System.Text.Encoding.UTF8.GetString(command[0])}'.");
            spec.Handler(_context, command);
        }
    }

    /// <summary>Accepts replies and throws them away (nobody waits for a replayed reply).</summary>
    private sealed class DiscardingBufferWriter : IBufferWriter<byte>
    {
        private byte[] _scratch = new byte[4096];

        public void Advance(int count) { }

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint).Span;

        private Memory<byte> Scratch(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
                _scratch = new byte[sizeHint];
            return _scratch;
        }
    }
}
