using System.Net;
using ReplDash.Testing;
using ReplDash.Web.Security;

namespace ReplDash.Web.Tests.Security;

/// <summary>
/// The data-protection keys that protect the sign-in cookie live in the data folder (<c>dashboard.keys/</c>, readable
/// by the owner only): a cookie issued before a restart of the real process is accepted after it, and another
/// instance on the same machine (its own data folder) does not accept it.
/// </summary>
public sealed class DataProtectionKeyTests
{
    private const string CookieName = "ReplDash.Auth";

    [Fact(Timeout = 300_000)]
    public async Task ASignInCookie_SurvivesARestart_AnotherInstanceRefusesIt_AndTheKeysArePrivate()
    {
        await using var first = await PortCollisionRetry.RunAsync(() => ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("keys-first")));
        string cookie = await SignInAsync(first.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(first.BaseAddress, cookie));

        await first.StopAsync();
        await using var restarted = await first.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(restarted.BaseAddress, cookie));

        // A second instance from the same binary and content root, with a data folder of its own: other keys.
        await using var other = await PortCollisionRetry.RunAsync(() => ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("keys-other")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(other.BaseAddress, cookie));

        string keys = Path.Combine(first.DataDir, DataProtectionKeys.DirectoryName);
        Assert.NotEmpty(Directory.GetFiles(keys));
        if (OperatingSystem.IsWindows())
            return;
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(keys));
        foreach (string file in Directory.GetFiles(keys))
            Assert.True(File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file}: {File.GetUnixFileMode(file)}");
    }

    // Signs in as admin through the sign-in form; returns the sign-in cookie's value.
    private static async Task<string> SignInAsync(Uri baseAddress)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var response = await SignInForms.PostAsync(client, TestCredentials.AdminUserName, TestCredentials.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = cookies.GetCookies(baseAddress)[CookieName];
        Assert.NotNull(cookie);
        return cookie.Value;
    }

    // GET /api/cluster with only the sign-in cookie (no key): 200 when it is accepted, 401 when not.
    private static async Task<HttpStatusCode> StatusWithCookieAsync(Uri baseAddress, string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cluster");
        request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        return (await client.SendAsync(request)).StatusCode;
    }
}
