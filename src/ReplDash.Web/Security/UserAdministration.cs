using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Events;

namespace ReplDash.Web.Security;

/// <summary>A user as the Users page lists it.</summary>
public sealed record UserListItem(string Id, string UserName, string Role, DateTimeOffset? LockoutEnd);

/// <summary>
/// Users and API keys, managed by Operators (the Users page). Every change goes through here and is guarded by the
/// same rule as the engine's actions (<see cref="OperatorActions.Authorize"/>) and recorded as an event naming who
/// did it. Each call works in its own scope: a fresh <see cref="UserManager{TUser}"/> and store context, whether the
/// caller is a request or a long-lived page.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, ApiKeyStore keys, IEngineEventSink events, TimeProvider time,
    IOptions<SecurityOptions> security)
{
    /// <summary>Every user with its role, by name.</summary>
    public async Task<IReadOnlyList<UserListItem>> ListUsersAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var list = new List<UserListItem>();
        foreach (var user in await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync())
        {
            var roles = await users.GetRolesAsync(user);
            string role = roles.Contains(AccessRoles.Operator) ? AccessRoles.Operator : roles.Contains(AccessRoles.Viewer) ? AccessRoles.Viewer : "(none)";
            list.Add(new UserListItem(user.Id, user.UserName ?? user.Id, role, user.LockoutEnd));
        }
        return list;
    }

    /// <summary>Every API key, newest first (never the keys themselves).</summary>
    public Task<IReadOnlyList<ApiKeyListItem>> ListKeysAsync() => keys.ListAsync();

    /// <summary>Adds a user with a role and a first password.</summary>
    /// <exception cref="OperatorActionException">Not an Operator (403), or the name, password or role is refused (400).</exception>
    public async Task CreateUserAsync(ClaimsPrincipal by, string userName, string password, string role)
    {
        string who = OperatorActions.Authorize(by, "add users");
        string canonical = RequireRole(role);
        userName = userName.Trim();
        if (userName.Length is 0 or > SecurityLimits.MaxUserNameLength)
            throw new OperatorActionException(400, $"a user name has 1 to {SecurityLimits.MaxUserNameLength} characters");
        RequirePasswordLength(password);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(userName);
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, canonical));
        Record(SecurityEvents.UserCreatedKind, $"User {userName} ({canonical}) added by {who}.");
    }

    /// <summary>Sets a new password for a user and ends the user's sessions (a new security stamp).</summary>
    /// <exception cref="OperatorActionException">Not an Operator (403), no such user (404), or the password is refused (400).</exception>
    public async Task ResetPasswordAsync(ClaimsPrincipal by, string userId, string newPassword)
    {
        string who = OperatorActions.Authorize(by, "reset passwords");
        RequirePasswordLength(newPassword);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await FindAsync(users, userId);
        string token = await users.GeneratePasswordResetTokenAsync(user);
        Check(await users.ResetPasswordAsync(user, token, newPassword));
        // Unlocks too: an Operator resetting a locked-out user's password means to let them back in.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        Record(SecurityEvents.PasswordResetKind, $"Password of {user.UserName} reset by {who}; the user's sessions ended.");
    }

    /// <summary>Ends every session of a user: a new security stamp fails every cookie issued before it at its next check.</summary>
    /// <exception cref="OperatorActionException">Not an Operator (403) or no such user (404).</exception>
    public async Task RevokeSessionsAsync(ClaimsPrincipal by, string userId)
    {
        string who = OperatorActions.Authorize(by, "revoke sessions");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await FindAsync(users, userId);
        Check(await users.UpdateSecurityStampAsync(user));
        Record(SecurityEvents.SessionsRevokedKind, $"Every session of {user.UserName} revoked by {who}.");
    }

    /// <summary>Makes an API key owned by the caller, with a name and a role; returns the key, which is shown this once.</summary>
    /// <exception cref="OperatorActionException">Not an Operator (403), or the name or role is refused (400).</exception>
    public async Task<string> CreateApiKeyAsync(ClaimsPrincipal by, string name, string role)
    {
        string who = OperatorActions.Authorize(by, "create API keys");
        string canonical = RequireRole(role);
        name = name.Trim();
        if (name.Length is 0 or > Store.Security.ApiKeyRecordConfiguration.NameMaxLength)
            throw new OperatorActionException(400, $"a key name has 1 to {Store.Security.ApiKeyRecordConfiguration.NameMaxLength} characters");
        string ownerId = by.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new OperatorActionException(400, "only a signed-in user can own a key");
        string key = ApiKeyStore.NewKey();
        await keys.AddAsync(ownerId, name, canonical, key, who);
        Record(SecurityEvents.ApiKeyCreatedKind, $"API key '{name}' ({canonical}) created by {who}.");
        return key;
    }

    /// <summary>Revokes an API key.</summary>
    /// <exception cref="OperatorActionException">Not an Operator (403) or no such live key (404).</exception>
    public async Task RevokeApiKeyAsync(ClaimsPrincipal by, long keyId)
    {
        string who = OperatorActions.Authorize(by, "revoke API keys");
        if (!await keys.RevokeAsync(keyId))
            throw new OperatorActionException(404, $"no live API key {keyId}");
        Record(SecurityEvents.ApiKeyRevokedKind, $"API key {keyId} revoked by {who}.");
    }

    private static string RequireRole(string role) =>
        AccessRoles.Normalize(role) ?? throw new OperatorActionException(400, $"unknown role '{role}'; use {string.Join(" or ", AccessRoles.All)}");

    private void RequirePasswordLength(string password)
    {
        int min = security.Value.MinPasswordLength;
        if (password.Length < min || password.Length > SecurityLimits.MaxPasswordLength)
            throw new OperatorActionException(400, $"a password has {min} to {SecurityLimits.MaxPasswordLength} characters");
    }

    private static async Task<IdentityUser> FindAsync(UserManager<IdentityUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw new OperatorActionException(404, $"no user {userId}");

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new OperatorActionException(400, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    private void Record(string kind, string message) =>
        events.Publish(new EngineEvent(time.GetUtcNow(), DashboardEvents.DashboardNodeId, kind, message));
}
