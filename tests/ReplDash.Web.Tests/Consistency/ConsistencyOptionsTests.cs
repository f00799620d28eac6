using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using ReplDash.Engine.Core.Settings;
using ReplDash.Web.Consistency;
using ReplDash.Web.Tests.Infrastructure;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>ReplDash:Consistency is checked at start against its rows of <see cref="SettingRanges"/>, each problem naming its key and range.</summary>
public class ConsistencyOptionsTests
{
    private static List<string> ProblemsOf(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var errors = ConsistencyOptions.ValidateText(configuration);
        if (errors.Count == 0)
            errors = (configuration.GetSection(ConsistencyOptions.SectionName).Get<ConsistencyOptions>() ?? new ConsistencyOptions()).Validate();
        return errors;
    }

    [Fact]
    public void Defaults_AreValid_AndInsideTheirRanges()
    {
        var defaults = new ConsistencyOptions();
        Assert.Empty(defaults.Validate());
        Assert.Equal(3, defaults.ChunksInFlight);
        Assert.True(SettingRanges.ConsistencyChunkTargetMs.Contains(defaults.ChunkTargetMs));
        Assert.True(SettingRanges.ConsistencyMaxLagBytes.Contains(defaults.MaxLagBytes));
    }

    [Theory]
    [InlineData("ReplDash:Consistency:ChunkTargetMs", "1")]
    [InlineData("ReplDash:Consistency:ChunkTargetMs", "10000")]
    [InlineData("ReplDash:Consistency:ChunksInFlight", "1")]
    [InlineData("ReplDash:Consistency:ChunksInFlight", "16")]
    [InlineData("ReplDash:Consistency:MaxChunkBuckets", "4096")]
    [InlineData("ReplDash:Consistency:MaxLagBytes", "0")]
    [InlineData("ReplDash:Consistency:ResultTimeoutMs", "100")]
    [InlineData("ReplDash:Consistency:Schedule", "01:00:00")]
    [InlineData("ReplDash:Consistency:Schedule", "0")]
    public void ValuesInRange_AreAccepted(string key, string value) => Assert.Empty(ProblemsOf(key, value));

    [Theory]
    [InlineData("ReplDash:Consistency:ChunkTargetMs", "0", "ReplDash:Consistency:ChunkTargetMs must be between 1 and 10000 ms (got 0).")]
    [InlineData("ReplDash:Consistency:ChunksInFlight", "17", "ReplDash:Consistency:ChunksInFlight must be between 1 and 16 chunks (got 17).")]
    [InlineData("ReplDash:Consistency:ChunksInFlight", "0", "ReplDash:Consistency:ChunksInFlight must be between 1 and 16 chunks (got 0).")]
    [InlineData("ReplDash:Consistency:MaxChunkBuckets", "4097", "ReplDash:Consistency:MaxChunkBuckets must be between 1 and 4096 buckets (got 4097).")]
    [InlineData("ReplDash:Consistency:InitialChunkBuckets", "600", "ReplDash:Consistency:InitialChunkBuckets must be at most ReplDash:Consistency:MaxChunkBuckets (512) (got 600).")]
    [InlineData("ReplDash:Consistency:MaxLagBytes", "-1", "ReplDash:Consistency:MaxLagBytes must be between 0 and 1125899906842624 bytes (got -1).")]
    [InlineData("ReplDash:Consistency:ResultTimeoutMs", "99", "ReplDash:Consistency:ResultTimeoutMs must be between 100 and 3600000 ms (got 99).")]
    // Too large for the setting's type: the range, not the binder's "failed to convert".
    [InlineData("ReplDash:Consistency:ResultTimeoutMs", "99999999999", "ReplDash:Consistency:ResultTimeoutMs must be between 100 and 3600000 ms (got 99999999999).")]
    [InlineData("ReplDash:Consistency:MaxLagBytes", "99999999999999999999", "ReplDash:Consistency:MaxLagBytes must be between 0 and 1125899906842624 bytes (got 99999999999999999999).")]
    [InlineData("ReplDash:Consistency:ChunkTargetMs", "fast", "ReplDash:Consistency:ChunkTargetMs must be a whole number between 1 and 10000 ms (got 'fast').")]
    [InlineData("ReplDash:Consistency:Schedule", "00:00:00.5", "ReplDash:Consistency:Schedule must be empty, zero (off) or an interval of at least one second (\"01:00:00\"); it is '00:00:00.5'.")]
    public void ValuesOutOfRange_AreRefusedWithTheKeyAndRange(string key, string value, string expected) =>
        Assert.Equal([expected], ProblemsOf(key, value));

    [Fact]
    public void AWrongValue_StopsTheStart_WithTheMessage()
    {
        using var factory = new BadConsistencySettingApp();
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var messages = string.Join("\n", Unwrap(failure).Select(e => e.Message));
        Assert.Contains("Invalid configuration:", messages);
        Assert.Contains("ReplDash:Consistency:ChunksInFlight must be between 1 and 16 chunks (got 40).", messages);
    }

    private static IEnumerable<Exception> Unwrap(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            yield return current;
    }

    private sealed class BadConsistencySettingApp : DashboardAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ReplDash:Consistency:ChunksInFlight", "40");
        }
    }
}
