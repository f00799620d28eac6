using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using ReplDash.Testing;

namespace ReplDash.Web.Tests.Security;

/// <summary>
/// Every route the app maps, read from its <see cref="EndpointDataSource"/>, asked by anonymous, a Viewer and an
/// Operator, each with the sign-in cookie and with an API key: anonymous gets 401 (API, hub) or the sign-in page
/// (pages), the wrong role 403, the right one an answer. An endpoint added without thinking about access shows up
/// here: the table below says what each route needs, and a route it does not expect fails the test.
/// </summary>
public sealed class RouteAccessTests(AccessFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<AccessFixture>
{
    private enum Need
    {
        Anyone,
        Viewer,
        Operator,
    }

    /// <summary>Routes anyone may call; everything else needs a sign-in.</summary>
    private static readonly HashSet<string> AnonymousRoutes = ["/healthz", "/login", "/account/login"];

    /// <summary>Pages only for Operators.</summary>
    private static readonly HashSet<string> OperatorPages = ["/users"];

    /// <summary>What the specification (issue 15, docs/SECURITY.md) says a route needs.</summary>
    private static Need Expected(string route, string method)
    {
        if (AnonymousRoutes.Contains(route))
            return Need.Anyone;
        if (OperatorPages.Contains(route))
            return Need.Operator;
        if (route.StartsWith("/api/", StringComparison.Ordinal) && method is not ("GET" or "HEAD"))
            return Need.Operator;
        return Need.Viewer;
    }

    [Fact(Timeout = 300_000)]
    public async Task EveryMappedRoute_AnonymousViewerOperator_CookieAndKey_GetWhatTheTableSays()
    {
        long checkId = await StartCheckAsync();
        var routes = fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // An endpoint that names no method (the hub's, Blazor's) answers any: probed with GET and POST.
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]).Select(m => (Endpoint: e, Method: m)))
            .Where(r => r.Method != "HEAD" && r.Method != "OPTIONS")
            .OrderBy(r => r.Method == "GET" ? 0 : 1).ThenBy(r => r.Endpoint.RoutePattern.RawText)
            .ToList();
        Assert.Contains(routes, r => r.Endpoint.RoutePattern.RawText == "/api/cluster");
        Assert.Contains(routes, r => r.Endpoint.RoutePattern.RawText == "/api/nodes/{id}/resync");
        Assert.Contains(routes, r => r.Endpoint.RoutePattern.RawText!.StartsWith("/hubs/cluster", StringComparison.Ordinal));

        var callers = new (string Name, Need Role, HttpClient Client)[]
        {
            ("anonymous", Need.Anyone, fixture.Anonymous()),
            ("Viewer cookie", Need.Viewer, fixture.ViewerCookie),
            ("Viewer key", Need.Viewer, fixture.WithKey(AccessFixture.ViewerKey)),
            ("Operator cookie", Need.Operator, fixture.OperatorCookie),
            ("Operator key", Need.Operator, fixture.WithKey(TestCredentials.OperatorApiKey)),
        };
        var failures = new List<string>();
        var table = new StringBuilder();
        foreach (var (endpoint, method) in routes)
        {
            string route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            string path = Sample(endpoint.RoutePattern, checkId);
            var need = Expected(route, method);
            table.Append($"{method,-6} {route,-40} needs {need,-8}");
            foreach (var (name, role, client) in callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is not "GET")
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await client.SendAsync(request);
                int status = (int)response.StatusCode;
                table.Append($" {name}={status}");
                string? problem = Judge(route, method, need, role, response);
                if (problem is not null)
                    failures.Add($"{method} {path} as {name}: {status} {response.Headers.Location}: {problem}");
            }
            table.AppendLine();
        }
        output.WriteLine(table.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\n\n" + table);
    }

    /// <summary>Null when <paramref name="response"/> is what the table says; else what is wrong.</summary>
    private static string? Judge(string route, string method, Need need, Need caller, HttpResponseMessage response)
    {
        int status = (int)response.StatusCode;
        if (status >= 500)
            return "a server error";
        bool apiOrHub = route.StartsWith("/api/", StringComparison.Ordinal) || route.StartsWith("/hubs/", StringComparison.Ordinal);
        if (caller < need)
        {
            if (caller == Need.Anyone)
            {
                if (apiOrHub)
                    return status == 401 ? null : "anonymous must get 401";
                return status == 302 && response.Headers.Location?.ToString().Contains("/login", StringComparison.Ordinal) == true
                    ? null : "anonymous must be sent to the sign-in page";
            }
            return status == 403 ? null : "the wrong role must get 403";
        }
        if (status is 401 or 403)
            return "refused to a caller who may";
        // Reads answer: every GET of the API and every page (bad ids are not sampled); framework endpoints may want more than a bare GET.
        bool mustAnswer2xx = method == "GET" && (route.StartsWith("/api/", StringComparison.Ordinal) || !route.StartsWith("/_", StringComparison.Ordinal))
            && !route.StartsWith("/hubs/", StringComparison.Ordinal);
        return mustAnswer2xx && status is < 200 or >= 300 ? "a read must answer 2xx" : null;
    }

    /// <summary>A concrete path for a route: node ids name s1, numeric ids the check started for this test.</summary>
    private static string Sample(RoutePattern pattern, long checkId)
    {
        var text = "/" + pattern.RawText!.TrimStart('/');
        foreach (var parameter in pattern.Parameters)
        {
            bool numeric = parameter.ParameterPolicies.Any(p => p.Content is "long" or "int");
            string value = numeric ? checkId.ToString() : parameter.IsCatchAll ? "x" : "s1";
            text = System.Text.RegularExpressions.Regex.Replace(text, "\\{\\**" + parameter.Name + "[^}]*\\}", value);
        }
        return text;
    }

    private async Task<long> StartCheckAsync()
    {
        using var http = fixture.WithKey(TestCredentials.OperatorApiKey);
        var response = await http.PostAsJsonAsync("/api/checks", new { nodes = new[] { "s1" } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await Poll.UntilAsync(async () =>
        {
            var run = await http.GetFromJsonAsync<JsonElement>($"/api/checks/{id}");
            return run.GetProperty("status").GetString() is not "running";
        }, "the check to end", TimeSpan.FromSeconds(60));
        return id;
    }
}
