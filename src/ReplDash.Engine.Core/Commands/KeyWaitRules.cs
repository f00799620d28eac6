using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// How a blocking command waits: the keys it waits on, the type one of them must hold to wake it, and where
/// its timeout is. The command's handler is its non-blocking form: it serves what is there, or answers a
/// null array when nothing is (which is also its reply inside MULTI, where nothing blocks). The node runs
/// the handler again for a waiting client once a write leaves a waited key holding that type.
/// </summary>
/// <param name="WaitsFor">The type a waited key must hold for the command to be worth running again.</param>
/// <param name="TimeoutIndex">The argument holding the timeout (seconds, 0 = none).</param>
/// <param name="Keys">The keys waited on.</param>
public sealed record KeyWaitRule(ValueType WaitsFor, Func<byte[][], int> TimeoutIndex, Func<byte[][], IReadOnlyList<byte[]>> Keys);

/// <summary>The blocking commands and their <see cref="KeyWaitRule"/>s.</summary>
public static class KeyWaitRules
{
    private static readonly KeyWaitRule LastArgumentTimeout =
        new(ValueType.ZSet, args => args.Length - 1, args => args[1..^1]);

    private static readonly Dictionary<string, KeyWaitRule> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bzpopmin"] = LastArgumentTimeout,
        ["bzpopmax"] = LastArgumentTimeout,
        ["bzmpop"] = new(ValueType.ZSet, _ => 1, ZSetPopCommands.BZMPopKeys),
    };

    /// <summary>The rule of the command named <paramref name="name"/>, or null when it does not block.</summary>
    public static KeyWaitRule? Find(string name) => ByName.GetValueOrDefault(name);
}
