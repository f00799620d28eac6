using Microsoft.Extensions.Configuration;
using ReplDash.Web.Configuration;

namespace ReplDash.Web.Tests;

public sealed class EffectiveSettingsTests
{
    [Theory]
    [InlineData("ReplDash:Replication:Password", true)]
    [InlineData("ReplDash:Auth:ClientSecret", true)]
    [InlineData("ReplDash:Auth:masterpass", true)]
    [InlineData("ReplDash:Secrets:Token", true)]
    [InlineData("ReplDash:Http:Port", false)]
    [InlineData("ReplDash:Nodes:0:Id", false)]
    [InlineData("ReplDash:Security:MinPasswordLength", false)]
    [InlineData("ReplDash:Secrets:MinLength", true)]
    public void IsSecretKey_MatchesSecretNamesInAnyPart(string key, bool expected) =>
        Assert.Equal(expected, EffectiveSettings.IsSecretKey(key));

    [Fact]
    public void Read_FlattensSectionSortedAndMasked()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReplDash:Nodes:0:Id"] = "m1",
                ["ReplDash:Http:Port"] = "5000",
                ["ReplDash:Replication:Password"] = "hunter2",
                ["Logging:LogLevel:Default"] = "Warning",
            })
            .Build();

        var settings = EffectiveSettings.Read(configuration);

        Assert.Equal(
            [
                new SettingEntry("ReplDash:Http:Port", "5000"),
                new SettingEntry("ReplDash:Nodes:0:Id", "m1"),
                new SettingEntry("ReplDash:Replication:Password", EffectiveSettings.Mask),
            ],
            settings);
    }
}
