using System.Xml.Linq;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Tests.Architecture;

/// <summary>The core stays pure: base class library only, so it can be driven deterministically.</summary>
public class CorePurityTests
{
    [Fact]
    public void CoreAssembly_ReferencesOnlyTheBaseClassLibrary()
    {
        var references = typeof(KeyspaceStore).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"ReplDash.Engine.Core references {name}; the core must use the base class library only"));
    }

    [Fact]
    public void CoreProject_HasNoPackageOrProjectReferences()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ReplDash.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        var project = XDocument.Load(Path.Combine(root, "src", "ReplDash.Engine.Core", "ReplDash.Engine.Core.csproj"));

        var references = project.Descendants().Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "FrameworkReference");

        Assert.Empty(references);
    }
}
