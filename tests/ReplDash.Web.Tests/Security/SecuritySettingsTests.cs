using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReplDash.Engine.Hosting;
using ReplDash.Testing;
using ReplDash.Web.Security;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Security;

/// <summary>
/// <c>ReplDash:Security</c>: a value out of its range stops the start with the range in the message; a changed limit
/// (lockout, sign-in rate, shortest password) is the one the app enforces.
/// </summary>
public sealed class SecuritySettingsTests
{
    [Theory]
    [InlineData("MaxFailedSignIns", "0", "ReplDash:Security:MaxFailedSignIns must be between 1 and 100 (got 0).")]
    [InlineData("MaxFailedSignIns", "101", "ReplDash:Security:MaxFailedSignIns must be between 1 and 100 (got 101).")]
    [InlineData("LockoutMinutes", "0", "ReplDash:Security:LockoutMinutes must be between 1 and 1440 min (got 0).")]
    [InlineData("LockoutMinutes", "99999999999999999999", "ReplDash:Security:LockoutMinutes must be between 1 and 1440 min (got 99999999999999999999).")]
    [InlineData("SignInsPerMinute", "-1", "ReplDash:Security:SignInsPerMinute must be between 1 and 1000 (got -1).")]
    [InlineData("SignInsPerMinute", "ten", "ReplDash:Security:SignInsPerMinute must be a whole number between 1 and 1000 (got 'ten').")]
    [InlineData("MinPasswordLength", "7", "ReplDash:Security:MinPasswordLength must be between 8 and 256 characters (got 7).")]
    [InlineData("MinPasswordLength", "257", "ReplDash:Security:MinPasswordLength must be between 8 and 256 characters (got 257).")]
    public void AValueOutOfRange_StopsTheStart_WithItsRange(string setting, string value, string expected)
    {
        using var factory = new SecuritySettingsApp(new() { [setting] = value });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        string messages = Messages(failure);
        Assert.Contains("Invalid configuration:", messages);
        Assert.Contains(expected, messages);
    }

    [Fact]
    public void AFirstAdminPassword_ShorterThanTheConfiguredMinimum_StopsTheStart()
    {
        // The tests' admin password has 24 characters.
        using var factory = new SecuritySettingsApp(new() { ["MinPasswordLength"] = "30" });
        string messages = Messages(Assert.ThrowsAny<Exception>(() => factory.CreateClient()));
        Assert.Contains("ReplDash:Admin:Password must be at least 30 characters long (ReplDash:Security:MinPasswordLength)", messages);
    }

    [Fact(Timeout = 120_000)]
    public async Task AChangedSignInRate_IsTheOneEnforced()
    {
        using var factory = new SecuritySettingsApp(new() { ["SignInsPerMinute"] = "3" });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = null;
        string token = SignInForms.Token(await client.GetStringAsync("/login"));

        // Fixed one-minute windows: 7 posts within a minute cover at most two, so one of them holds more than 3.
        var statuses = new List<int>();
        for (int i = 0; i < 7; i++)
        {
            var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["UserName"] = "nobody-" + i,
                ["Password"] = "wrong-password-" + i,
            }));
            statuses.Add((int)response.StatusCode);
        }
        string all = string.Join(",", statuses);
        Assert.Contains(429, statuses);
        Assert.InRange(statuses.Count(s => s == 302), 3, 6);
        Assert.All(statuses, s => Assert.True(s is 302 or 429, all));
    }

    [Fact(Timeout = 120_000)]
    public async Task AChangedLockout_AndShortestPassword_AreTheOnesEnforced()
    {
        using var factory = new SecuritySettingsApp(new() { ["MaxFailedSignIns"] = "2", ["LockoutMinutes"] = "7", ["MinPasswordLength"] = "20" });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = null;

        // The second wrong password locks the account (the default would take five), for seven minutes.
        Assert.StartsWith("/login?error=invalid", (await SignInForms.PostAsync(client, TestCredentials.AdminUserName, "wrong-password-1")).Headers.Location!.OriginalString);
        Assert.StartsWith("/login?error=locked", (await SignInForms.PostAsync(client, TestCredentials.AdminUserName, "wrong-password-2")).Headers.Location!.OriginalString);
        var right = await SignInForms.PostAsync(client, TestCredentials.AdminUserName, TestCredentials.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.StartsWith("/login?error=locked", right.Headers.Location!.OriginalString);
        string lockedPage = await client.GetStringAsync(right.Headers.Location!.OriginalString);
        Assert.Contains("locked for 7 min after 2 wrong passwords", lockedPage);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var admin = (await users.FindByNameAsync(TestCredentials.AdminUserName))!;
            var lockedFor = admin.LockoutEnd!.Value - DateTimeOffset.UtcNow;
            Assert.InRange(lockedFor, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));
        }

        // A password of 19 characters is refused (the default minimum, 12, would take it); 20 is accepted.
        var administration = factory.Services.GetRequiredService<UserAdministration>();
        var operatorPrincipal = await PrincipalOfAsync(factory, TestCredentials.AdminUserName);
        var refused = await Assert.ThrowsAsync<OperatorActionException>(
            () => administration.CreateUserAsync(operatorPrincipal, "short-password-user", new string('p', 19), AccessRoles.Viewer));
        Assert.Equal(400, refused.Status);
        Assert.Contains("a password has 20 to 256 characters", refused.Message);
        await administration.CreateUserAsync(operatorPrincipal, "long-password-user", new string('p', 20), AccessRoles.Viewer);
        Assert.Contains(await administration.ListUsersAsync(), u => u.UserName == "long-password-user");
    }

    private static async Task<System.Security.Claims.ClaimsPrincipal> PrincipalOfAsync(SecuritySettingsApp factory, string userName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByNameAsync(userName);
        return await scope.ServiceProvider.GetRequiredService<SignInManager<IdentityUser>>().CreateUserPrincipalAsync(user!);
    }

    private static string Messages(Exception e)
    {
        var messages = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
            messages.Add(current.Message);
        return string.Join("\n", messages);
    }

    /// <summary>The in-process app with <c>ReplDash:Security:*</c> settings of the test's choosing.</summary>
    private sealed class SecuritySettingsApp(Dictionary<string, string> security) : DashboardAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (name, value) in security)
                builder.UseSetting($"{SecurityOptions.SectionName}:{name}", value);
        }
    }
}
