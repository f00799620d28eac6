using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Security;

namespace ReplDash.Web.Security;

/// <summary>A key that authenticated a request: the key's row, its owner's name and the role it acts with.</summary>
public sealed record AuthenticatedKey(long Id, string Name, string OwnerUserId, string OwnerName, string Role);

/// <summary>A key as the Users page lists it (never the key itself).</summary>
public sealed record ApiKeyListItem(long Id, string Name, string Role, string OwnerName, string Prefix, DateTime CreatedUtc, string CreatedBy,
    DateTime? LastUsedUtc, DateTime? RevokedUtc);

/// <summary>
/// API keys in the dashboard store. A key is 32 random bytes (the framework's <see cref="RandomNumberGenerator"/>),
/// shown once; the store keeps its SHA-256 only. A fast hash is right here, unlike for passwords: a key has 256 bits
/// of entropy, so there is nothing to guess from its hash, and every request looks one up.
/// </summary>
public sealed class ApiKeyStore(IDbContextFactory<DashboardDbContext> store, TimeProvider time)
{
    /// <summary>Prefix of every key the dashboard makes, so that a leaked key is recognisable (secret scanners).</summary>
    public const string KeyPrefix = "rdk_";

    /// <summary>How stale a key's last-used time may get before a request writes it again (one write per key per minute, not per request).</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>A new random key.</summary>
    public static string NewKey() => KeyPrefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a key: SHA-256, lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Stores <paramref name="key"/> (made by <see cref="NewKey"/>, or given by <c>ReplDash:Admin:ApiKey</c>) for its owner; returns its id.</summary>
    public async Task<long> AddAsync(string ownerUserId, string name, string role, string key, string createdBy, CancellationToken cancellation = default)
    {
        var record = new ApiKeyRecord
        {
            Name = name,
            Role = AccessRoles.Normalize(role) ?? throw new ArgumentException($"unknown role '{role}'", nameof(role)),
            OwnerUserId = ownerUserId,
            Prefix = key[..Math.Min(8, key.Length)],
            HashHex = Hash(key),
            CreatedUtc = time.GetUtcNow().UtcDateTime,
            CreatedBy = createdBy.Length <= 256 ? createdBy : createdBy[..256],
        };
        await using var db = await store.CreateDbContextAsync(cancellation);
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(cancellation);
        return record.Id;
    }

    /// <summary>
    /// The key behind <paramref name="key"/> when it is known, not revoked and its owner still exists and is not
    /// locked out; null otherwise. An Operator key of an owner who is no longer an Operator acts as a Viewer.
    /// </summary>
    public async Task<AuthenticatedKey?> AuthenticateAsync(string key, CancellationToken cancellation = default)
    {
        if (key.Length is < SecurityLimits.MinApiKeyLength or > SecurityLimits.MaxApiKeyLength)
            return null;
        string hash = Hash(key);
        await using var db = await store.CreateDbContextAsync(cancellation);
        var record = await db.ApiKeys.SingleOrDefaultAsync(k => k.HashHex == hash && k.RevokedUtc == null, cancellation);
        if (record is null)
            return null;
        var now = time.GetUtcNow();
        var owner = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == record.OwnerUserId, cancellation);
        if (owner is null || owner.LockoutEnd > now)
            return null;
        var ownerRoles = await (from userRole in db.UserRoles
                                join role in db.Roles on userRole.RoleId equals role.Id
                                where userRole.UserId == owner.Id
                                select role.Name).ToListAsync(cancellation);
        string effective = record.Role == AccessRoles.Operator && ownerRoles.Contains(AccessRoles.Operator) ? AccessRoles.Operator : AccessRoles.Viewer;
        if (record.LastUsedUtc is null || now.UtcDateTime - record.LastUsedUtc.Value >= LastUsedResolution)
        {
            record.LastUsedUtc = now.UtcDateTime;
            await db.SaveChangesAsync(cancellation);
        }
        return new AuthenticatedKey(record.Id, record.Name, owner.Id, owner.UserName ?? owner.Id, effective);
    }

    /// <summary>Every key, newest first.</summary>
    public async Task<IReadOnlyList<ApiKeyListItem>> ListAsync(CancellationToken cancellation = default)
    {
        await using var db = await store.CreateDbContextAsync(cancellation);
        var keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.Id).ToListAsync(cancellation);
        var owners = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.UserName ?? u.Id, cancellation);
        return keys.Select(k => new ApiKeyListItem(k.Id, k.Name, k.Role, owners.GetValueOrDefault(k.OwnerUserId, "(deleted)"), k.Prefix,
            k.CreatedUtc, k.CreatedBy, k.LastUsedUtc, k.RevokedUtc)).ToList();
    }

    /// <summary>Revokes key <paramref name="id"/>; false when there is no such key or it was revoked already.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellation = default)
    {
        await using var db = await store.CreateDbContextAsync(cancellation);
        var record = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.RevokedUtc == null, cancellation);
        if (record is null)
            return false;
        record.RevokedUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellation);
        return true;
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
