using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Which keys, in which numbered databases, a command or a logged item touches. A command works in its client's
/// database, except that MOVE also touches its key in the target database and COPY ... DB n its destination in n; in a
/// logged item a SELECT effect switches the database of the effects after it (every item starts in database 0). Semi-sync's
/// visibility rule keys on these: a key is pending, or has a committed image, in one database only.
/// </summary>
public static class KeysInDatabases
{
    /// <summary>The keys one logged effect changes in one database; <see cref="WholeDataset"/> for FLUSHALL and the like.</summary>
    /// <param name="Database">Where <paramref name="Keys"/> are.</param>
    /// <param name="Keys">The keys (empty when <paramref name="WholeDataset"/>).</param>
    /// <param name="WholeDataset">The effect changes more than named keys (FLUSHALL, FLUSHDB, SWAPDB, or one not known here).</param>
    public readonly record struct Touched(int Database, byte[][] Keys, bool WholeDataset);

    /// <summary>
    /// The key that one call of <paramref name="spec"/> touches outside the database it runs in: MOVE's key in the target
    /// database, COPY's destination in its DB option's database. Null for every other command, or when the index does not
    /// parse (the command then fails before touching anything).
    /// </summary>
    public static DatabaseKey? InOtherDatabase(CommandSpec spec, byte[][] args)
    {
        if (spec.Name == "move" && args.Length == 3 && IntegerText.TryParse(args[2], out long target) && target is >= 0 and <= int.MaxValue)
            return new DatabaseKey((int)target, args[1]);
        if (spec.Name != "copy")
            return null;
        for (int i = 3; i + 1 < args.Length; i++)
            if (ArgumentNames.Is(args[i], "DB"u8))
                return IntegerText.TryParse(args[i + 1], out long db) && db is >= 0 and <= int.MaxValue ? new DatabaseKey((int)db, args[2]) : null;
        return null;
    }

    /// <summary>
    /// What the effects of one logged item change, effect by effect, each in the database it applies in (a replica
    /// replays them the same way: a SELECT switches, the item starts in database 0).
    /// </summary>
    public static List<Touched> OfItem(IReadOnlyList<byte[][]> effects)
    {
        var touched = new List<Touched>(effects.Count);
        int database = 0;
        foreach (var effect in effects)
        {
            var spec = effect.Length == 0 ? null : CommandTable.Find(effect[0]);
            if (spec is null || (spec.Flags & CommandFlags.AllKeys) != 0)
            {
                touched.Add(new Touched(database, [], true));
                continue;
            }
            if (spec.Name == "select")
            {
                if (effect.Length == 2 && IntegerText.TryParse(effect[1], out long selected) && selected is >= 0 and <= int.MaxValue)
                    database = (int)selected;
                else
                    touched.Add(new Touched(database, [], true)); // cannot tell where the next effects go: everything waits
                continue;
            }
            var keys = new List<byte[]>();
            foreach (int i in spec.KeyIndexes(effect))
                keys.Add(effect[i]);
            touched.Add(new Touched(database, keys.ToArray(), false));
            if (InOtherDatabase(spec, effect) is { } other)
                touched.Add(new Touched(other.Database, [other.Key], false));
        }
        return touched;
    }
}
