using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Tests.Infrastructure;

/// <summary>The app with the engine's read model replaced by <see cref="FakeClusterStatus"/>.</summary>
public sealed class FakeClusterAppFactory : DashboardAppFactory
{
    /// <summary>A setting the Settings page must mask.</summary>
    public const string SecretSettingKey = "ReplDash:Dashboard:AdminPassword";

    /// <summary>The value that must never appear on the Settings page.</summary>
    public const string SecretSettingValue = "do-not-show-this-9f3a";

    /// <summary>The status the app's API and pages read.</summary>
    public FakeClusterStatus Cluster { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(SecretSettingKey, SecretSettingValue);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IClusterStatus>();
            services.AddSingleton<IClusterStatus>(Cluster);
        });
    }
}
