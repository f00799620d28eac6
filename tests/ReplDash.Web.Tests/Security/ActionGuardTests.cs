using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ReplDash.Engine.Hosting;
using ReplDash.Testing;
using ReplDash.Web.Api;
using ReplDash.Web.Consistency;
using ReplDash.Web.Hubs;
using ReplDash.Web.Security;

namespace ReplDash.Web.Tests.Security;

/// <summary>
/// The action services refuse a Viewer on their own, without any UI or endpoint in front (defence in depth); the hub
/// needs a Viewer; a mutating action is recorded with the user or key that did it; bad input to the API gets a 4xx.
/// </summary>
public sealed class ActionGuardTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact(Timeout = 120_000)]
    public async Task ActionServices_CalledWithAViewer_Refuse403_AndWithAnOperator_Act()
    {
        var viewer = await fixture.PrincipalOfAsync(AccessFixture.ViewerName);
        var admin = await fixture.PrincipalOfAsync(TestCredentials.AdminUserName);
        Assert.True(viewer.IsInRole(AccessRoles.Viewer));
        var actions = fixture.Services.GetRequiredService<OperatorActions>();
        var checks = fixture.Services.GetRequiredService<ConsistencyActions>();
        var users = fixture.Services.GetRequiredService<UserAdministration>();

        var refusals = new List<OperatorActionException>
        {
            Assert.Throws<OperatorActionException>(() => actions.RequestResync("s1", viewer, "test")),
            Assert.Throws<OperatorActionException>(() => actions.ArmFault("m1", "SlowApply", 1, 1, viewer)),
            Assert.Throws<OperatorActionException>(() => actions.ClearFaults(viewer)),
            Assert.Throws<OperatorActionException>(() => actions.ConfigureSemiSync("m1", new Dictionary<string, string> { ["rpl_semi_sync_master_timeout"] = "5000" }, viewer, "test")),
            await Assert.ThrowsAsync<OperatorActionException>(() => checks.StartCheckAsync(null, viewer, "test")),
            await Assert.ThrowsAsync<OperatorActionException>(() => checks.RepairAsync(1, viewer, "test")),
            await Assert.ThrowsAsync<OperatorActionException>(() => users.CreateUserAsync(viewer, "mallory", "mallory-password-1", AccessRoles.Operator)),
            await Assert.ThrowsAsync<OperatorActionException>(() => users.CreateApiKeyAsync(viewer, "mine", AccessRoles.Operator)),
            // Nobody at all (a component rendered without a signed-in user).
            Assert.Throws<OperatorActionException>(() => actions.ClearFaults(new System.Security.Claims.ClaimsPrincipal())),
        };
        Assert.All(refusals, e => Assert.Equal(403, e.Status));
        Assert.Contains(AccessFixture.ViewerName, refusals[0].Message);
        Assert.DoesNotContain(await users.ListUsersAsync(), u => u.UserName == "mallory");

        // The same calls as an Operator go through, and the event names who.
        actions.ArmFault("m1", "SlowApply", 1, 1, admin);
        actions.ClearFaults(admin);
        string key = await users.CreateApiKeyAsync(admin, "made by admin", AccessRoles.Viewer);
        Assert.StartsWith(ApiKeyStore.KeyPrefix, key);
        var events = await Convergence.WaitForEventAsync(fixture.App.BaseAddress, "faults-cleared", TimeSpan.FromSeconds(10), "m1", "by admin");
        Assert.Contains("by admin", events);
    }

    [Fact(Timeout = 120_000)]
    public async Task RestAction_WithTheOperatorKey_IsRecordedWithTheKeyAndItsOwner()
    {
        using var http = fixture.WithKey(TestCredentials.OperatorApiKey);
        var response = await http.PostAsJsonAsync("/api/faults", new { node = "m1", point = "SlowApply", count = 1, delayMs = 1 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string events = await Convergence.WaitForEventAsync(fixture.App.BaseAddress, "fault-armed", TimeSpan.FromSeconds(10), "m1", "key 'first start' of admin");
        Assert.Contains("by key 'first start' of admin", events);

        // A revoked key authenticates nothing from then on.
        var users = fixture.Services.GetRequiredService<UserAdministration>();
        var admin = await fixture.PrincipalOfAsync(TestCredentials.AdminUserName);
        string key = await users.CreateApiKeyAsync(admin, "to revoke", AccessRoles.Viewer);
        using var withKey = fixture.WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/cluster")).StatusCode);
        var listed = (await users.ListKeysAsync()).Single(k => k.Name == "to revoke");
        Assert.NotNull(listed.LastUsedUtc);
        await users.RevokeApiKeyAsync(admin, listed.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/cluster")).StatusCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Hub_WithoutCredentialsOrWithAWrongKey_IsRefused_WithAViewerKeyOrCookie_Connects(HttpTransportType transport)
    {
        var url = new Uri(fixture.App.BaseAddress, ClusterHub.Path.TrimStart('/'));
        await using (var anonymous = new HubConnectionBuilder().WithUrl(url, transport).Build())
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        await using (var wrongKey = new HubConnectionBuilder()
            .WithUrl(url, transport, o => o.AccessTokenProvider = () => Task.FromResult<string?>("rdk_not-a-key-of-this-app-000000"))
            .Build())
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => wrongKey.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var snapshots = new List<ClusterSnapshotMessage>();
        await using var viewer = new HubConnectionBuilder()
            .WithUrl(url, transport, o => o.AccessTokenProvider = () => Task.FromResult<string?>(AccessFixture.ViewerKey))
            .Build();
        viewer.On<ClusterSnapshotMessage>(ClusterHub.SnapshotMethod, s => { lock (snapshots) snapshots.Add(s); });
        await viewer.StartAsync();
        await Poll.UntilAsync(() => { lock (snapshots) return snapshots.Count > 0; }, "a snapshot for the Viewer key", TimeSpan.FromSeconds(30));

        // The browser's way: the sign-in cookie.
        var cookies = new System.Net.CookieContainer();
        foreach (System.Net.Cookie cookie in await CookiesOfSignedInViewerAsync())
            cookies.Add(cookie);
        await using var byCookie = new HubConnectionBuilder().WithUrl(url, transport, o => o.Cookies = cookies).Build();
        await byCookie.StartAsync();
        Assert.Equal(HubConnectionState.Connected, byCookie.State);
    }

    [Fact(Timeout = 60_000)]
    public async Task Api_BadInput_GetsAClear4xx_NeverA500()
    {
        using var http = fixture.WithKey(TestCredentials.OperatorApiKey);
        var cases = new (string What, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("invalid JSON", () => http.PostAsync("/api/faults", new StringContent("{\"node\": ", System.Text.Encoding.UTF8, "application/json"))),
            ("JSON without the fields", () => http.PostAsync("/api/faults", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))),
            ("wrong content type", () => http.PostAsync("/api/faults", new StringContent("node=m1", System.Text.Encoding.UTF8, "text/plain"))),
            ("a JSON array for settings", () => http.PutAsync("/api/nodes/m1/semisync", new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json"))),
            ("unknown node", () => http.PostAsync("/api/nodes/no-such-node/resync", null)),
            ("unknown check", () => http.GetAsync("/api/checks/987654321")),
            ("unknown check report format", () => http.GetAsync("/api/checks/987654321/report?format=pdf")),
            ("very long node id", () => http.PostAsync("/api/nodes/" + new string('n', 4000) + "/resync", null)),
            ("very long field", () => http.PostAsJsonAsync("/api/faults", new { node = new string('n', 1_000_000), point = "SlowApply" })),
            ("huge check body", () => http.PostAsync("/api/checks", new StringContent("{\"nodes\": [\"" + new string('s', 200_000) + "\"]}", System.Text.Encoding.UTF8, "application/json"))),
            ("not a number", () => http.GetAsync("/api/events?take=many")),
        };
        var problems = new List<string>();
        foreach (var (what, send) in cases)
        {
            using var response = await send();
            string body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode is < 400 or >= 500)
                problems.Add($"{what}: {(int)response.StatusCode}");
            if (body.Contains("   at ", StringComparison.Ordinal))
                problems.Add($"{what}: a stack trace in the answer");
        }
        // A long key, or an empty one, is a 401 like any unknown key; a header larger than Kestrel takes is its 431.
        foreach (var (key, expected) in new[] { (new string('k', 5_000), 401), ("", 401), (new string('k', 100_000), 431) })
        {
            using var client = fixture.WithKey("placeholder");
            client.DefaultRequestHeaders.Remove("Authorization");
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
            var status = (int)(await client.GetAsync("/api/cluster")).StatusCode;
            if (status != expected)
                problems.Add($"a key of {key.Length} characters: {status}");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    private async Task<System.Net.CookieCollection> CookiesOfSignedInViewerAsync()
    {
        var container = new System.Net.CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = container, AllowAutoRedirect = false }) { BaseAddress = fixture.App.BaseAddress };
        var response = await SignInForms.PostAsync(client, AccessFixture.ViewerName, AccessFixture.ViewerPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return container.GetCookies(fixture.App.BaseAddress);
    }
}
