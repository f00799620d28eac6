using System.Net.Http.Headers;

namespace ReplDash.Testing;

/// <summary>
/// The credentials every test app starts with (<c>ReplDash:Admin:Password</c> and <c>ReplDash:Admin:ApiKey</c> at
/// first start), and HTTP clients that send the Operator key, so that tests written before sign-in existed keep
/// talking to the REST API as an Operator.
/// </summary>
public static class TestCredentials
{
    /// <summary>The admin user's name.</summary>
    public const string AdminUserName = "admin";

    /// <summary>The admin's password in every test app.</summary>
    public const string AdminPassword = "test-admin-password-7c1e";

    /// <summary>The admin's first API key (Operator) in every test app.</summary>
    public const string OperatorApiKey = "rdk_test-operator-key-0123456789abcdef";

    /// <summary>Configuration in environment form that gives a new app these credentials.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentSettings { get; } = new Dictionary<string, string>
    {
        ["ReplDash__Admin__Password"] = AdminPassword,
        ["ReplDash__Admin__ApiKey"] = OperatorApiKey,
    };

    /// <summary>A client for <paramref name="baseAddress"/> that sends the Operator key.</summary>
    public static HttpClient Client(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        Authorize(client);
        return client;
    }

    /// <summary>Makes <paramref name="client"/> send <paramref name="key"/> (the Operator key by default) on every request.</summary>
    public static void Authorize(HttpClient client, string key = OperatorApiKey) =>
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
}
