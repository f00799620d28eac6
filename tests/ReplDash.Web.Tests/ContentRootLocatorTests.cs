using ReplDash.Web.Hosting;

namespace ReplDash.Web.Tests;

public sealed class ContentRootLocatorTests
{
    [Fact]
    public void FindMarkerAbove_FromBuildOutput_FindsRepositoryRootWithAppSettingsAndWwwroot()
    {
        var root = ContentRootLocator.FindMarkerAbove(AppContext.BaseDirectory);

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "appsettings.json")));
        Assert.True(Directory.Exists(Path.Combine(root, "wwwroot")));
    }

    [Fact]
    public void FindMarkerAbove_WithoutMarker_ReturnsNull()
    {
        var dir = Directory.CreateTempSubdirectory("repldash-no-marker");
        try
        {
            Assert.Null(ContentRootLocator.FindMarkerAbove(dir.FullName));
        }
        finally
        {
            dir.Delete();
        }
    }
}
