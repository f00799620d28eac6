using Xunit;

namespace ReplDash.Testing;

/// <summary>One running app shared by the tests of a class (xunit class fixture).</summary>
public sealed class AppFixture : IAsyncLifetime
{
    private ReplDashProcess? _app;

    public ReplDashProcess App => _app ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _app = await ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("app"));

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
