using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Events;

namespace ReplDash.Web.Security;

/// <summary>
/// First start: creates the Viewer and Operator roles, and, when no user exists, the <c>admin</c> Operator with the
/// configured password or a random one printed once to the console and written to
/// <c>&lt;DataDir&gt;/initial-admin-password</c> (mode 0600), as Jenkins does; <c>ReplDash:Admin:ApiKey</c> becomes
/// its first API key. Runs after the store is migrated and before the nodes start.
/// </summary>
public sealed partial class AdminBootstrapper(IServiceProvider services, IOptions<AdminOptions> options, IOptions<SecurityOptions> security,
    ApiKeyStore keys, IEngineEventSink events, IConfiguration configuration, IHostEnvironment environment, TimeProvider time, ILogger<AdminBootstrapper> logger) : IHostedService
{
    /// <summary>The first user's name.</summary>
    public const string AdminUserName = "admin";

    /// <summary>File (in the data folder) holding a generated first password.</summary>
    public const string PasswordFileName = "initial-admin-password";

    /// <summary>Characters of a generated password: letters and digits, nothing a shell or a form would mangle.</summary>
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in AccessRoles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"creating role {role}");

        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.Users.AnyAsync(cancellationToken))
            return;

        string? configured = string.IsNullOrEmpty(options.Value.Password) ? null : options.Value.Password;
        string password = configured ?? RandomNumberGenerator.GetString(PasswordAlphabet,
            Math.Max(SecurityLimits.GeneratedPasswordLength, security.Value.MinPasswordLength));
        var admin = new IdentityUser(AdminUserName);
        Check(await users.CreateAsync(admin, password), "creating the admin user");
        Check(await users.AddToRoleAsync(admin, AccessRoles.Operator), "making admin an Operator");
        events.Publish(new EngineEvent(time.GetUtcNow(), DashboardEvents.DashboardNodeId, SecurityEvents.UserCreatedKind,
            $"First start: user {AdminUserName} (Operator) created{(configured is null ? " with a generated password" : " with the password from ReplDash:Admin:Password")}."));

        if (configured is null)
        {
            string file = WritePasswordFile(password);
            // The console, not the log: the password must not end up in a log store. Printed this once only.
            Console.WriteLine();
            Console.WriteLine("*************************************************************");
            Console.WriteLine($"ReplDash first start: sign in at /login as '{AdminUserName}' with password");
            Console.WriteLine();
            Console.WriteLine($"    {password}");
            Console.WriteLine();
            Console.WriteLine($"It is also in {file} (readable by this user only).");
            Console.WriteLine("Change it, or add your own users, on the Users page.");
            Console.WriteLine("*************************************************************");
            Console.WriteLine();
            LogPasswordWritten(file);
        }

        if (!string.IsNullOrEmpty(options.Value.ApiKey))
        {
            await keys.AddAsync(admin.Id, "first start", AccessRoles.Operator, options.Value.ApiKey, "first start (ReplDash:Admin:ApiKey)", cancellationToken);
            events.Publish(new EngineEvent(time.GetUtcNow(), DashboardEvents.DashboardNodeId, SecurityEvents.ApiKeyCreatedKind,
                $"First start: API key 'first start' (Operator) of {AdminUserName} created from ReplDash:Admin:ApiKey."));
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string WritePasswordFile(string password)
    {
        string file = Path.Combine(DashboardStorePaths.DataDirectory(configuration, environment), PasswordFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Delete(file);
        var mode = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            mode.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(file, mode);
        using var writer = new StreamWriter(stream);
        writer.WriteLine(password);
        return file;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"First start failed {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "First start: the generated password of user admin is in {File}; sign in and change it")]
    private partial void LogPasswordWritten(string file);
}
