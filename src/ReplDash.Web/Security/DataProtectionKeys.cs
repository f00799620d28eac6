using Microsoft.AspNetCore.DataProtection;
using ReplDash.Web.Events;

namespace ReplDash.Web.Security;

/// <summary>
/// Where the framework's data-protection keys live: <c>&lt;DataDir&gt;/dashboard.keys/</c> (mode 0700). They protect
/// the sign-in cookie and the anti-forgery tokens. In the data folder, sign-ins survive a restart and two instances on
/// one machine (two data folders) never accept each other's cookies; the framework's default folder in the user's home
/// would be shared by both.
/// </summary>
public static class DataProtectionKeys
{
    /// <summary>The key ring's folder inside the data folder. The dot keeps it apart from node folders (a node id has none).</summary>
    public const string DirectoryName = "dashboard.keys";

    /// <summary>
    /// The application name the keys are bound to. Fixed, so that moving the installation (another content root, the
    /// framework's default discriminator) does not sign everyone out; the key ring's folder is what separates instances.
    /// </summary>
    public const string ApplicationName = "ReplDash";

    /// <summary>Absolute path of the key ring's folder.</summary>
    public static string KeyDirectory(IConfiguration configuration, IHostEnvironment environment) =>
        Path.Combine(DashboardStorePaths.DataDirectory(configuration, environment), DirectoryName);

    /// <summary>Keeps the keys in the data folder (created readable by this user only) under <see cref="ApplicationName"/>.</summary>
    public static IServiceCollection AddReplDashDataProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        string path = KeyDirectory(configuration, environment);
        CreatePrivateDirectory(path);
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(path))
            .SetApplicationName(ApplicationName);
        return services;
    }

    // The data folder as the rest of the app makes it; the key folder 0700, also when an older start made it wider.
    private static void CreatePrivateDirectory(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(path, ownerOnly);
        File.SetUnixFileMode(path, ownerOnly);
    }
}
