using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ReplDash.Web.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the stored API keys. On the hub's paths the key may
/// also come as <c>access_token</c> in the query, which is how SignalR clients send it where a WebSocket cannot carry
/// headers (browsers). A missing or unknown key is answered 401, never a redirect.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Claim holding the id of the key that authenticated the request.</summary>
    public const string KeyIdClaim = "repldash:api-key-id";

    private const string BearerPrefix = "Bearer ";

    /// <summary>True when the request carries a key (header, or <c>access_token</c> on a hub path) and this scheme should decide.</summary>
    public static bool CarriesKey(HttpRequest request) => ReadKey(request) is not null;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadKey(Request) is not { } key)
            return AuthenticateResult.NoResult();
        var found = await keys.AuthenticateAsync(key, Context.RequestAborted);
        if (found is null)
            return AuthenticateResult.Fail("unknown or revoked API key");
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, found.OwnerUserId),
            // Events name the key and its owner: "key 'ci' of admin".
            new Claim(ClaimTypes.Name, $"key '{found.Name}' of {found.OwnerName}"),
            new Claim(ClaimTypes.Role, found.Role),
            new Claim(KeyIdClaim, found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static string? ReadKey(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return header[BearerPrefix.Length..].Trim();
        if (request.Path.StartsWithSegments(Hubs.ClusterHub.Path) && request.Query["access_token"] is { Count: 1 } token && !string.IsNullOrEmpty(token[0]))
            return token[0];
        return null;
    }
}
