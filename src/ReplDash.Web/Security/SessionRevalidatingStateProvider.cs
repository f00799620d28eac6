using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ReplDash.Web.Security;

/// <summary>
/// Checks an open page's user against the store every <see cref="SecurityLimits.SessionRevalidationInterval"/>: a
/// page left open by a user whose sessions were revoked (new security stamp), or who was deleted, signs out at the
/// next check rather than staying live until it is closed.
/// </summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <inheritdoc />
    protected override TimeSpan RevalidationInterval => SecurityLimits.SessionRevalidationInterval;

    /// <inheritdoc />
    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        // A page opened with an API key (scripts, tests) has no stamp to compare: the key's own checks apply per request.
        if (state.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName)
            return true;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null)
            return false;
        if (!users.SupportsUserSecurityStamp)
            return true;
        string? stamp = state.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
