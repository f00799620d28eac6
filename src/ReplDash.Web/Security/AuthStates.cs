using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace ReplDash.Web.Security;

/// <summary>The signed-in user as components see it (the cascading authentication state).</summary>
public static class AuthStates
{
    /// <summary>The user of <paramref name="state"/>, or an anonymous principal when there is none (a component rendered alone).</summary>
    public static async Task<ClaimsPrincipal> UserAsync(Task<AuthenticationState>? state) =>
        state is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await state).User;
}
