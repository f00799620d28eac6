using System.Globalization;
using ReplDash.Engine.Core.Consistency;

namespace ReplDash.Web.Consistency;

/// <summary>
/// The buckets a run covers: sorted, disjoint ranges [from, to). Stored as text ("0-4096" or "12-13,700-702") in the
/// run's row, so a re-check after a repair covers only the affected buckets.
/// </summary>
public sealed class CheckScope
{
    private readonly List<(int From, int To)> _ranges;

    private CheckScope(List<(int From, int To)> ranges) => _ranges = ranges;

    /// <summary>Every bucket.</summary>
    public static CheckScope Everything { get; } = new([(0, KeyBuckets.Count)]);

    /// <summary>The given buckets, merged into ranges.</summary>
    public static CheckScope OfBuckets(IEnumerable<int> buckets)
    {
        var ranges = new List<(int From, int To)>();
        foreach (int bucket in buckets.Distinct().Order())
        {
            if (ranges.Count > 0 && ranges[^1].To == bucket)
                ranges[^1] = (ranges[^1].From, bucket + 1);
            else
                ranges.Add((bucket, bucket + 1));
        }
        return new CheckScope(ranges);
    }

    /// <summary>Reads the stored form.</summary>
    /// <exception cref="FormatException">Not a list of increasing ranges inside the buckets.</exception>
    public static CheckScope Parse(string text)
    {
        var ranges = new List<(int From, int To)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-');
            if (ends.Length != 2 || !int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int from)
                || !int.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out int to)
                || from >= to || to > KeyBuckets.Count || (ranges.Count > 0 && from < ranges[^1].To))
                throw new FormatException($"bad bucket range '{part}' in '{text}'");
            ranges.Add((from, to));
        }
        return new CheckScope(ranges);
    }

    /// <summary>Buckets covered.</summary>
    public int BucketCount => _ranges.Sum(r => r.To - r.From);

    /// <summary>The first bucket in scope at or after <paramref name="bucket"/>, or <see cref="KeyBuckets.Count"/> when none.</summary>
    public int FirstAtOrAfter(int bucket)
    {
        foreach (var (from, to) in _ranges)
            if (bucket < to)
                return Math.Max(bucket, from);
        return KeyBuckets.Count;
    }

    /// <summary>Buckets in scope below <paramref name="bucket"/>.</summary>
    public int CountBelow(int bucket) => _ranges.Sum(r => Math.Clamp(bucket, r.From, r.To) - r.From);

    /// <summary>The next chunk from <paramref name="start"/> (a bucket in scope): at most <paramref name="buckets"/> buckets, inside one range.</summary>
    public (int From, int To) ChunkAt(int start, int buckets)
    {
        var range = _ranges.First(r => start >= r.From && start < r.To);
        return (start, Math.Min(range.To, start + buckets));
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(",", _ranges.Select(r => $"{r.From}-{r.To}"));
}
