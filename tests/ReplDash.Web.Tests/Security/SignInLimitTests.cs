using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using ReplDash.Testing;
using ReplDash.Web.Security;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Security;

/// <summary>
/// Guessing passwords is slow: sign-in posts beyond <see cref="SecurityOptions.SignInsPerMinute"/> a minute from one
/// address get 429 (the framework's rate limiter), and <see cref="SecurityOptions.MaxFailedSignIns"/> wrong passwords
/// lock the account (Identity's lockout) so that even the right password is refused for a while. Each test has an
/// app of its own: the limiter counts every post of the process.
/// </summary>
public sealed class SignInRateLimitTests(DashboardAppFactory factory) : IClassFixture<DashboardAppFactory>
{
    private static readonly SecurityOptions Defaults = new();

    [Fact]
    public async Task SignInPosts_BeyondTheLimit_Get429_AndOtherPagesStillAnswer()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = null;
        string token = SignInForms.Token(await client.GetStringAsync("/login"));

        // A fixed window: 2 x limit + 1 posts sent within one minute cover at most two windows, so one of them is
        // over the limit whichever moment the window turns.
        var statuses = new List<int>();
        for (int i = 0; i < 2 * Defaults.SignInsPerMinute + 1; i++)
        {
            var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["UserName"] = "nobody-" + i,
                ["Password"] = "wrong-password-" + i,
            }));
            statuses.Add((int)response.StatusCode);
        }
        Assert.Contains(429, statuses);
        Assert.True(statuses.Count(s => s == 302) >= Defaults.SignInsPerMinute, string.Join(",", statuses));
        Assert.True(statuses.Count(s => s == 302) <= 2 * Defaults.SignInsPerMinute, string.Join(",", statuses));
        Assert.All(statuses, s => Assert.True(s is 302 or 429, string.Join(",", statuses)));

        // Only sign-in is limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }
}

/// <summary>Identity's lockout after wrong passwords, through the sign-in form.</summary>
public sealed class SignInLockoutTests(DashboardAppFactory factory) : IClassFixture<DashboardAppFactory>
{
    private static readonly SecurityOptions Defaults = new();

    [Fact]
    public async Task WrongPasswords_LockTheAccount_TheRightPasswordIsThenRefused()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = null;
        for (int i = 0; i < Defaults.MaxFailedSignIns; i++)
        {
            var wrong = await SignInForms.PostAsync(client, TestCredentials.AdminUserName, "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        }
        var right = await SignInForms.PostAsync(client, TestCredentials.AdminUserName, TestCredentials.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.StartsWith("/login?error=locked", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cluster")).StatusCode);
        // A locked-out owner's keys stop working too.
        using var api = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/cluster")).StatusCode);
    }
}
