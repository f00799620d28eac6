using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReplDash.Testing;

namespace ReplDash.Web.Tests.Security;

/// <summary>Signs in through the real sign-in page and form post, as a browser does: from an HttpClient or a Playwright context.</summary>
public static partial class SignInForms
{
    /// <summary>The anti-forgery token in the sign-in page's form.</summary>
    public static string Token(string loginPageHtml)
    {
        var input = AntiforgeryInput().Match(loginPageHtml);
        Assert.True(input.Success, "no anti-forgery token in the sign-in page");
        var value = ValueAttribute().Match(input.Value);
        Assert.True(value.Success, "the anti-forgery input has no value");
        return WebUtility.HtmlDecode(value.Groups[1].Value);
    }

    /// <summary>A client that keeps cookies and does not follow redirects, signed in as <paramref name="user"/>; no API key.</summary>
    public static async Task<HttpClient> SignedInClientAsync(Uri baseAddress, string user = TestCredentials.AdminUserName,
        string password = TestCredentials.AdminPassword)
    {
        var client = CookieClient(baseAddress);
        var response = await PostAsync(client, user, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == "/",
            $"sign-in as {user}: {(int)response.StatusCode} {response.Headers.Location}");
        return client;
    }

    /// <summary>A client that keeps cookies and does not follow redirects, signed in as nobody.</summary>
    public static HttpClient CookieClient(Uri baseAddress) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    /// <summary>Loads the sign-in page and posts its form with <paramref name="user"/> and <paramref name="password"/>; returns the answer to the post.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string user, string password)
    {
        string token = Token(await client.GetStringAsync("/login"));
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["UserName"] = user,
            ["Password"] = password,
            ["ReturnUrl"] = "/",
        }));
    }

    /// <summary>Signs the browser context in (its cookies), through the page and the form post, without opening a page.</summary>
    public static async Task SignInAsync(IBrowserContext context, Uri baseAddress, string user = TestCredentials.AdminUserName,
        string password = TestCredentials.AdminPassword)
    {
        var page = await context.APIRequest.GetAsync(new Uri(baseAddress, "login").ToString());
        var form = context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", Token(await page.TextAsync()));
        form.Set("UserName", user);
        form.Set("Password", password);
        form.Set("ReturnUrl", "/");
        var response = await context.APIRequest.PostAsync(new Uri(baseAddress, "account/login").ToString(), new() { Form = form, MaxRedirects = 0 });
        Assert.True(response.Status == 302 && response.Headers.GetValueOrDefault("location") == "/", $"sign-in as {user}: {response.Status}");
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
