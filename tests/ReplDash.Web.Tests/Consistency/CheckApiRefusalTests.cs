using System.Net;
using System.Text;
using ReplDash.Testing;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>Bad requests to the check API get a clear 400 or 404, never a 500; DEBUG local changes need faults enabled.</summary>
public class CheckApiRefusalTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("{\"nodes\": [\"s1\"", "invalid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"nodes\": \"s1\"}", "must be an array")]
    [InlineData("{\"nodes\": [7]}", "non-empty strings")]
    [InlineData("{\"nodes\": [\"nope\"]}", "unknown node 'nope'")]
    [InlineData("{\"nodes\": [\"m1\"]}", "m1 is the master")]
    public async Task StartWithBadInput_IsA400WithTheReason(string body, string reason)
    {
        using var http = TestCredentials.Client(fixture.App.BaseAddress);
        var response = await http.PostAsync("api/checks", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "api/checks/999999")]
    [InlineData("GET", "api/checks/999999/report?format=csv")]
    [InlineData("POST", "api/checks/999999/cancel")]
    [InlineData("POST", "api/checks/999999/repair")]
    public async Task UnknownRun_IsA404(string method, string path)
    {
        using var http = TestCredentials.Client(fixture.App.BaseAddress);
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no check 999999", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownReportFormat_IsA400_AndTheListAnswers()
    {
        using var http = TestCredentials.Client(fixture.App.BaseAddress);
        var response = await http.GetAsync("api/checks/1/report?format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unknown format 'pdf'", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/checks")).StatusCode);
    }

    [Theory]
    [InlineData("SET-LOCAL", "k", "v")]
    [InlineData("DEL-LOCAL", "k")]
    [InlineData("PEXPIREAT-LOCAL", "k", "1")]
    public async Task DebugLocalChanges_AreRefusedWhileFaultsAreDisabled(params string[] args)
    {
        using var client = await RespTestClient.ConnectAsync(fixture.App.RespPort);
        Assert.Equal("OK", await client.CallAsync("SET", "k", "master-value"));
        var reply = await client.CallAsync(["DEBUG", .. args]);
        var error = Assert.IsType<RespError>(reply);
        Assert.Contains("ReplDash:Faults:Enabled", error.Message);
        Assert.Equal("master-value", RespTestClient.Text(await client.CallAsync("GET", "k")));
    }
}
