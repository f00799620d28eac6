using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ReplDash.Web.Tests.Components;

/// <summary>
/// A bunit context with MudBlazor's services, disposed asynchronously (some MudBlazor services are only
/// IAsyncDisposable), and JS interop in loose mode (MudBlazor calls its scripts; bunit answers them with defaults).
/// </summary>
public abstract class MudComponentTestBase : IAsyncLifetime
{
    /// <summary>The context components render in.</summary>
    protected BunitContext Context { get; } = new();

    protected MudComponentTestBase()
    {
        Context.Services.AddMudServices();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync() => await Context.DisposeAsync();
}
