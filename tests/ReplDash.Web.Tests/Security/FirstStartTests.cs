using System.Net;
using ReplDash.Testing;
using ReplDash.Web.Security;

namespace ReplDash.Web.Tests.Security;

/// <summary>
/// First start without <c>ReplDash:Admin:Password</c>, on the real binary: a random password printed once and written
/// to <c>&lt;DataDir&gt;/initial-admin-password</c> with mode 0600, that signs admin in; a restart keeps it and prints none.
/// </summary>
public sealed class FirstStartTests
{
    [Fact(Timeout = 180_000)]
    public async Task NoPasswordConfigured_ARandomOneIsPrintedAndWritten0600_AndSignsIn_ARestartMakesNoOther()
    {
        string dataDir = RepositoryPaths.NewTempDirectory("first-start");
        // Empty values: as if neither key were configured.
        var settings = new Dictionary<string, string> { ["ReplDash__Admin__Password"] = "", ["ReplDash__Admin__ApiKey"] = "" };
        var app = await ReplDashProcess.StartAsync(dataDir, settings);
        try
        {
            string file = Path.Combine(dataDir, AdminBootstrapper.PasswordFileName);
            Assert.True(File.Exists(file));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            string password = File.ReadAllText(file).Trim();
            Assert.Equal(24, password.Length);
            Assert.Contains(password, app.Output);
            Assert.NotEqual(TestCredentials.AdminPassword, password);

            using (var client = await SignInForms.SignedInClientAsync(app.BaseAddress, TestCredentials.AdminUserName, password))
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/cluster")).StatusCode);
            // No key was configured: the test key is not one.
            using (var keyClient = TestCredentials.Client(app.BaseAddress))
                Assert.Equal(HttpStatusCode.Unauthorized, (await keyClient.GetAsync("/api/cluster")).StatusCode);

            await app.StopAsync();
            await using var restarted = await app.RestartAsync();
            Assert.Equal(password, File.ReadAllText(file).Trim());
            Assert.DoesNotContain(password, restarted.Output);
            Assert.DoesNotContain("first start", restarted.Output, StringComparison.OrdinalIgnoreCase);
            using var again = await SignInForms.SignedInClientAsync(restarted.BaseAddress, TestCredentials.AdminUserName, password);
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
