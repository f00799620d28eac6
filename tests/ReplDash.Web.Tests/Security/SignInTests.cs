using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Security;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Security;

/// <summary>
/// The sign-in page and its form post in-process: the anti-forgery token is required, a wrong password is an event
/// (without the password), bad input is a 4xx, a signed-in cookie opens pages and the API, sign-out ends it.
/// </summary>
public sealed class SignInTests(DashboardAppFactory factory) : IClassFixture<DashboardAppFactory>
{
    private HttpClient NewBrowserLikeClient()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        // The factory's clients send the Operator key; a browser does not.
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    [Fact]
    public async Task SignInPage_IsAnonymous_AndPagesAndTheApiNeedASignIn()
    {
        using var client = NewBrowserLikeClient();
        var login = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string html = await login.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"login-form\"", html);
        Assert.Contains("_content/MudBlazor/MudBlazor.min.css", html);

        var page = await client.GetAsync("/nodes");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/login?ReturnUrl=%2Fnodes", page.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task FormPost_WithoutTheAntiforgeryToken_IsRefused_AndSignsNobodyIn()
    {
        using var client = NewBrowserLikeClient();
        await client.GetAsync("/login"); // the antiforgery cookie, but no token in the form
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = TestCredentials.AdminUserName,
            ["Password"] = TestCredentials.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cluster")).StatusCode);

        // The same post with the page's token signs in: the refusal above was the token's.
        var signedIn = await SignInForms.PostAsync(client, TestCredentials.AdminUserName, TestCredentials.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/nodes")).StatusCode);

        // Sign-out is a form post too: without the token refused, with it the cookie is gone.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/account/logout", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/cluster")).StatusCode);
        string layoutToken = SignInForms.Token(await client.GetStringAsync("/nodes"));
        var signedOut = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = layoutToken }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cluster")).StatusCode);
    }

    [Fact]
    public async Task WrongPassword_GoesBackToTheSignInPage_AndIsAnEventWithoutThePassword()
    {
        using var client = NewBrowserLikeClient();
        const string wrong = "not-the-password-5b2f";
        var response = await SignInForms.PostAsync(client, TestCredentials.AdminUserName, wrong);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login?error=invalid", response.Headers.Location!.OriginalString);
        Assert.Contains("Unknown user name or wrong password", await client.GetStringAsync(response.Headers.Location));

        using var api = factory.CreateClient();
        await Eventually.TrueAsync(async () =>
            (await api.GetFromJsonAsync<EventsResponse>("/api/events?kind=" + SecurityEvents.SignInFailedKind))!.Events.Count > 0, "a sign-in-failed event");
        var stored = (await api.GetFromJsonAsync<EventsResponse>("/api/events?kind=" + SecurityEvents.SignInFailedKind))!.Events;
        Assert.Contains(stored, e => e.Message.Contains("'admin'", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, e => e.Message.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_BadInput_GetsA4xx_NeverA500()
    {
        using var client = NewBrowserLikeClient();
        string token = SignInForms.Token(await client.GetStringAsync("/login"));
        var cases = new (string What, HttpContent Content)[]
        {
            ("a very long user name", Form(token, new string('u', 100_000), "x")),
            ("a very long password", Form(token, "admin", new string('p', 10_000))),
            ("JSON instead of a form", new StringContent("{\"UserName\":\"admin\"}", Encoding.UTF8, "application/json")),
            ("a body larger than the limit", Form(token, "admin", new string('p', 100_000))),
            ("no fields", Form(token, null, null)),
        };
        var problems = new List<string>();
        foreach (var (what, content) in cases)
        {
            var response = await client.PostAsync("/account/login", content);
            int status = (int)response.StatusCode;
            // No fields at all is a failed sign-in like a wrong password (back to the page), anything else a 4xx.
            bool ok = what == "no fields" ? status == 302 : status is >= 400 and < 500;
            if (!ok)
                problems.Add($"{what}: {status}");
            if ((await response.Content.ReadAsStringAsync()).Contains("   at ", StringComparison.Ordinal))
                problems.Add($"{what}: a stack trace");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cluster")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public void ReturnUrl_ToAnotherSite_IsReplacedByTheRoot(string url) => Assert.Equal("/", SignInEndpoints.LocalOrRoot(url));

    private static FormUrlEncodedContent Form(string token, string? user, string? password)
    {
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token };
        if (user is not null)
            fields["UserName"] = user;
        if (password is not null)
            fields["Password"] = password;
        return new FormUrlEncodedContent(fields);
    }
}
