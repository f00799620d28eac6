using System.Globalization;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Storage;

/// <summary>
/// UNSAFE legacy format, used only with ReplDash:Faults:UnsafeAppliedPositionOutsideData: the applied
/// position kept in its own file, written apart from the data (MySQL's relay-log.info). It exists so the
/// crash test can show that trusting it after a crash duplicates or loses transactions (lesson L3).
/// </summary>
public static class AppliedPositionFileFormat
{
    public static void Write(string path, AppliedState state)
    {
        var text = string.Join(' ', state.Position.FileNumber, state.Position.Offset, state.LogicalOffset,
            state.LastTransactionId.Origin, state.LastTransactionId.Sequence);
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    public static AppliedState Read(string path)
    {
        var parts = File.ReadAllText(path).Split(' ');
        if (parts.Length != 5)
            throw new InvalidDataException($"{path} is not an applied-position file");
        long L(int i) => long.Parse(parts[i], CultureInfo.InvariantCulture);
        return new AppliedState(new BinlogPosition(L(0), L(1)), L(2), new TransactionId(parts[3], L(4)));
    }
}
