using System.Buffers;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Node;

/// <summary>
/// Reads of the committed state while a newer write of the same key waits for its acknowledgements. Under
/// AfterSync a write can wait up to the semi-sync timeout; other clients must not see it (lesson L4) and
/// should not stall behind it either, so the first pending write of a key keeps an image of the key as it
/// was, and a read-only command over such keys runs against those images.
/// </summary>
public sealed partial class DataNode
{
    /// <summary>Values larger than this get no image: copying them on every write would cost more than the reads' wait.</summary>
    private const int MaxImageBytes = 64 * 1024;

    // Images taken during the current RunAndLog, before its commands changed the keys (under the node lock).
    // Each under its database: the same name in another database is another key with its own image.
    private readonly Dictionary<DatabaseKey, StoredEntry> _stagedImages = new(DatabaseKey.Comparer);

    /// <summary>
    /// Before a write runs: keep the committed state of each key it names that has no pending write yet, in the
    /// database the write runs in (and MOVE's or COPY's key in its other database).
    /// </summary>
    private void StageCommittedImages(CommandSpec spec, byte[][] args)
    {
        if ((spec.Flags & CommandFlags.Write) == 0 || (spec.Flags & CommandFlags.AllKeys) != 0)
            return;
        foreach (int i in spec.KeyIndexes(args))
            StageCommittedImage(_context.Database, args[i]);
        if (KeysInDatabases.InOtherDatabase(spec, args) is { } other && _keyspace.IsValid(other.Database))
            StageCommittedImage(other.Database, other.Key);
    }

    /// <summary>
    /// Keeps the committed state of <paramref name="key"/> of <paramref name="database"/> before a write changes it,
    /// unless it has a pending write already.
    /// </summary>
    private void StageCommittedImage(int database, byte[] key)
    {
        var named = new DatabaseKey(database, key);
        if (!_stagedImages.ContainsKey(named) && !_pending.IsPending(database, key) && _keyspace[database].TryCapture(key, MaxImageBytes, out var image))
            _stagedImages[named] = image;
    }

    /// <summary>
    /// Answers a read-only command from committed images when a key it reads (in the client's database) has a pending
    /// write with an image. False when the command must run normally: it writes, reads no pending key, or reads one
    /// without an image.
    /// </summary>
    private bool TryReadCommittedImages(CommandSpec spec, byte[][] args, IBufferWriter<byte> reply)
    {
        if (_pending.ImageCount == 0 || (spec.Flags & (CommandFlags.Write | CommandFlags.AllKeys)) != 0)
            return false; // the common case costs one check: nothing is answered from images now
        int database = _context.Database;
        bool anyImage = false;
        foreach (int i in spec.KeyIndexes(args))
        {
            if (!_pending.IsPending(database, args[i]))
                continue;
            if (!_pending.TryGetCommittedImage(database, args[i], out _))
                return false;
            anyImage = true;
        }
        if (!anyImage)
            return false;
        // The view holds the client's database only: a read-only command reads no other database.
        var view = new KeyspaceStore();
        foreach (int i in spec.KeyIndexes(args))
        {
            var key = args[i];
            if (_pending.TryGetCommittedImage(database, key, out var image) || _keyspace[database].TryCapture(key, int.MaxValue, out image))
                view.Load(image);
        }
        // Effects (an expiry noticed on the image) are dropped with the view: the live key is newer anyway.
        var context = new CommandContext(view, reply, _time.GetUtcNow().ToUnixTimeMilliseconds(), _context.Random);
        spec.Handler(context, args);
        _commandsProcessed++;
        return true;
    }
}
