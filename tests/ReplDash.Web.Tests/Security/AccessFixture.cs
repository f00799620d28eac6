using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ReplDash.Engine.Hosting;
using ReplDash.Testing;
using ReplDash.Web.Security;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Security;

/// <summary>
/// The app on real Kestrel ports (m1 and s1, faults enabled) with a second user, a Viewer with a Viewer key of its
/// own, beside the admin Operator and its key from first start; and clients signed in with each cookie.
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    /// <summary>The Viewer's name and password.</summary>
    public const string ViewerName = "viewer1", ViewerPassword = "viewer-password-0123";

    /// <summary>The Viewer's API key.</summary>
    public const string ViewerKey = "rdk_test-viewer-key-0123456789abcdef";

    /// <summary>The app.</summary>
    public KestrelClusterAppFactory App { get; } = new();

    /// <summary>Signed in with the Viewer's cookie (no key).</summary>
    public HttpClient ViewerCookie { get; private set; } = default!;

    /// <summary>Signed in with admin's cookie (no key).</summary>
    public HttpClient OperatorCookie { get; private set; } = default!;

    /// <summary>Services of the running app.</summary>
    public IServiceProvider Services => App.Services;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        App.StartServer();
        var admin = App.Services.GetRequiredService<UserAdministration>();
        await admin.CreateUserAsync(AccessRoles.SystemActor("test setup"), ViewerName, ViewerPassword, AccessRoles.Viewer);
        var viewer = await FindUserAsync(ViewerName);
        await App.Services.GetRequiredService<ApiKeyStore>().AddAsync(viewer.Id, "viewer key", AccessRoles.Viewer, ViewerKey, "test setup");
        ViewerCookie = await SignInForms.SignedInClientAsync(App.BaseAddress, ViewerName, ViewerPassword);
        OperatorCookie = await SignInForms.SignedInClientAsync(App.BaseAddress);
    }

    /// <summary>A client without credentials that does not follow redirects.</summary>
    public HttpClient Anonymous() => SignInForms.CookieClient(App.BaseAddress);

    /// <summary>A client sending <paramref name="key"/> and no cookie.</summary>
    public HttpClient WithKey(string key)
    {
        var client = SignInForms.CookieClient(App.BaseAddress);
        TestCredentials.Authorize(client, key);
        return client;
    }

    /// <summary>The principal the app builds for <paramref name="userName"/> at sign-in (its real claims and roles).</summary>
    public async Task<ClaimsPrincipal> PrincipalOfAsync(string userName)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByNameAsync(userName);
        return await scope.ServiceProvider.GetRequiredService<SignInManager<IdentityUser>>().CreateUserPrincipalAsync(user!);
    }

    private async Task<IdentityUser> FindUserAsync(string userName)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByNameAsync(userName))!;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        ViewerCookie?.Dispose();
        OperatorCookie?.Dispose();
        await App.DisposeAsync();
    }
}
