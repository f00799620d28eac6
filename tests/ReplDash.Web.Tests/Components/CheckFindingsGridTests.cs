using Bunit;
using ReplDash.Web.Components.Pages.Consistency;
using ReplDash.Web.Consistency;

namespace ReplDash.Web.Tests.Components;

/// <summary>The run page's differing keys show each key's numbered database, so the same name in two databases reads as two keys.</summary>
public sealed class CheckFindingsGridTests : MudComponentTestBase
{
    [Fact]
    public void EachRow_ShowsItsKeysDatabase()
    {
        var digest = new string('a', 40);
        var inDatabase3 = new CheckFindingDto("s1", "k", "6b", 1, ["Value"], new CheckKeySide("string", digest, 0), new CheckKeySide("string", digest, 0), 3);
        var inDatabase0 = new CheckFindingDto("s1", "k", "6b", 1, ["MissingOnSlave"], new CheckKeySide("string", digest, 0), null);

        var grid = Context.Render<CheckFindingsGrid>(p => p.Add(c => c.Findings, new[] { inDatabase0, inDatabase3 }));

        Assert.Equal(["0", "3"], grid.FindAll("[data-testid=check-finding-database]").Select(e => e.TextContent).ToArray());
        Assert.Contains(grid.FindAll("th"), th => th.TextContent.Trim() == "DB");
    }
}
