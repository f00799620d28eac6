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
}
