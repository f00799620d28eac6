using ReplDash.Web.Formatting;

namespace ReplDash.Web.Tests;

public sealed class HumanFormatTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(2.5, "2.5")]
    [InlineData(850, "850")]
    [InlineData(999.4, "999")]
    [InlineData(999.96, "1k")]
    [InlineData(1234, "1.2k")]
    [InlineData(15_400, "15k")]
    [InlineData(999_950, "1M")]
    [InlineData(3_400_000, "3.4M")]
    [InlineData(2_000_000_000, "2G")]
    public void Compact_ReadsLikeADashboard(double value, string expected) =>
        Assert.Equal(expected, HumanFormat.Compact(value));

    [Fact]
    public void OpsPerSecond_AddsUnit() => Assert.Equal("1.2k ops/s", HumanFormat.OpsPerSecond(1234.56));

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(67_108_864, "64 MiB")]
    public void Bytes_UsesBinaryUnits(long bytes, string expected) => Assert.Equal(expected, HumanFormat.Bytes(bytes));

    [Fact]
    public void Exact_GroupsThousands() => Assert.Equal("1,234,567", HumanFormat.Exact(1_234_567));

    [Theory]
    [InlineData(0, "0 µs")]
    [InlineData(850, "850 µs")]
    [InlineData(999.96, "1 ms")]
    [InlineData(1_234, "1.2 ms")]
    [InlineData(15_400, "15 ms")]
    [InlineData(3_400_000, "3.4 s")]
    [InlineData(150_000_000, "2.5 min")]
    public void Microseconds_PicksTheUnitThatKeepsTheNumberShort(double microseconds, string expected) =>
        Assert.Equal(expected, HumanFormat.Microseconds(microseconds));

    [Theory]
    [InlineData(0, "0 ms")]
    [InlineData(0.85, "850 µs")]
    [InlineData(1000, "1 s")]
    public void Milliseconds_ConvertsToTheSameUnits(double milliseconds, string expected) =>
        Assert.Equal(expected, HumanFormat.Milliseconds(milliseconds));

    [Fact]
    public void BytesPerSecond_UsesBinaryUnits() => Assert.Equal("3.4 MiB/s", HumanFormat.BytesPerSecond(3.4 * 1024 * 1024));

    [Theory]
    [InlineData(1, "1 item")]
    [InlineData(0, "0 items")]
    [InlineData(1234, "1.2k items")]
    public void Items_CountsWithUnit(long items, string expected) => Assert.Equal(expected, HumanFormat.Items(items));

    [Fact]
    public void KeyCount_ListsDatabasesOnlyWhenOneOtherThanZeroHoldsKeys()
    {
        Assert.Equal("1,234", HumanFormat.KeyCount(1234, new SortedDictionary<int, long> { [0] = 1234 }));
        Assert.Equal("0", HumanFormat.KeyCount(0, new SortedDictionary<int, long>()));
        Assert.Equal("1,234 (db0: 1,000, db3: 234)", HumanFormat.KeyCount(1234, new SortedDictionary<int, long> { [3] = 234, [0] = 1000 }));
        Assert.Equal("5 (db15: 5)", HumanFormat.KeyCount(5, new SortedDictionary<int, long> { [15] = 5 }));
    }
}
