using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReplDash.Testing;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>The consistency-check API as the tests drive it.</summary>
internal static class ChecksApi
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>Starts a check of <paramref name="nodes"/> (all slaves when null) and returns its id.</summary>
    public static async Task<long> StartAsync(HttpClient http, params string[]? nodes)
    {
        var response = nodes is null
            ? await http.PostAsync("api/checks", null)
            : await http.PostAsJsonAsync("api/checks", new { nodes });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>GET /api/checks/{id} as JSON.</summary>
    public static async Task<JsonElement> ShowAsync(HttpClient http, long id)
    {
        var body = await http.GetStringAsync($"api/checks/{id}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits until the run is no longer running and returns it.</summary>
    public static async Task<JsonElement> WaitDoneAsync(HttpClient http, long id, TimeSpan? timeout = null)
    {
        JsonElement last = default;
        await Poll.UntilAsync(async () =>
        {
            last = await ShowAsync(http, id);
            return last.GetProperty("status").GetString() != "running";
        }, $"check {id} to finish", timeout ?? Deadline, async () => (await ShowAsync(http, id)).ToString());
        return last;
    }

    /// <summary>The findings of a shown run as (node, key, difference) triples.</summary>
    public static List<(string Node, string Key, string Difference)> Findings(JsonElement shown) =>
        shown.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("node").GetString()!, f.GetProperty("key").GetString()!,
                string.Join("|", f.GetProperty("difference").EnumerateArray().Select(d => d.GetString()))))
            .OrderBy(f => f.Item1).ThenBy(f => f.Item2, StringComparer.Ordinal).ToList();
}
