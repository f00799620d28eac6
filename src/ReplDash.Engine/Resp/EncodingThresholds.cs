using System.Collections.Concurrent;
using System.Globalization;

namespace ReplDash.Engine.Resp;

/// <summary>
/// Redis's encoding thresholds (hash-max-listpack-entries and friends), which Redis's own tests and some tools set with
/// CONFIG SET. This engine keeps every value in one representation, so they have no effect here: they are accepted,
/// checked as Redis checks them, and reported back by CONFIG GET (docs/OPERATIONS.md). Per node, not persisted.
/// </summary>
public sealed class EncodingThresholds
{
    // Redis 7.0's names, defaults and ranges; the ziplist names are Redis's aliases of the listpack ones.
    private static readonly Dictionary<string, (long Default, long Min, long Max)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hash-max-listpack-entries"] = (128, 0, long.MaxValue),
        ["hash-max-listpack-value"] = (64, 0, long.MaxValue),
        ["list-max-listpack-size"] = (-2, int.MinValue, int.MaxValue),
        ["list-compress-depth"] = (0, 0, int.MaxValue),
        ["set-max-intset-entries"] = (512, 0, long.MaxValue),
        ["zset-max-listpack-entries"] = (128, 0, long.MaxValue),
        ["zset-max-listpack-value"] = (64, 0, long.MaxValue),
        ["stream-node-max-bytes"] = (4096, 0, long.MaxValue),
        ["stream-node-max-entries"] = (100, 0, long.MaxValue),
        ["hll-sparse-max-bytes"] = (3000, 0, long.MaxValue),
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hash-max-ziplist-entries"] = "hash-max-listpack-entries",
        ["hash-max-ziplist-value"] = "hash-max-listpack-value",
        ["list-max-ziplist-size"] = "list-max-listpack-size",
        ["zset-max-ziplist-entries"] = "zset-max-listpack-entries",
        ["zset-max-ziplist-value"] = "zset-max-listpack-value",
    };

    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True for a threshold name or one of its aliases.</summary>
    public static bool IsKnown(string name) => Known.ContainsKey(name) || Aliases.ContainsKey(name);

    /// <summary>Checks a value as Redis does, without setting it; the error is Redis's CONFIG SET reason.</summary>
    public static bool TryParse(string name, string text, out long value, out string error)
    {
        var (_, min, max) = Known[Canonical(name)];
        error = "";
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = "argument couldn't be parsed into an integer";
            return false;
        }
        if (value < min || value > max)
        {
            error = $"argument must be between {min} and {max} inclusive";
            return false;
        }
        return true;
    }

    /// <summary>Sets a checked value (by name or alias).</summary>
    public void Set(string name, long value) => _values[Canonical(name)] = value;

    /// <summary>Every name (aliases included) with its current value, for CONFIG GET.</summary>
    public IEnumerable<KeyValuePair<string, string>> All()
    {
        foreach (var (name, limits) in Known)
            yield return new(name, Value(name, limits.Default));
        foreach (var (alias, name) in Aliases)
            yield return new(alias, Value(name, Known[name].Default));
    }

    private string Value(string name, long fallback) =>
        _values.GetValueOrDefault(name, fallback).ToString(CultureInfo.InvariantCulture);

    private static string Canonical(string name) => Aliases.GetValueOrDefault(name, name);
}
