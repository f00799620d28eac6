using Microsoft.Extensions.Options;
using ReplDash.Web.Consistency;
using ReplDash.Web.Hubs;

namespace ReplDash.Web.Extensions;

/// <summary>Registers consistency checks: options (<c>ReplDash:Consistency</c>), the run service, the actions, the pages' reader and the hub's progress pushes.</summary>
public static class ConsistencyServiceExtensions
{
    /// <summary>Adds the services; call after <c>AddReplDashDashboard()</c> (the store is migrated first) and <c>AddReplDashEngine()</c>.</summary>
    /// <exception cref="InvalidOperationException">The settings are out of range; the message lists every problem.</exception>
    public static WebApplicationBuilder AddReplDashConsistency(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ConsistencyOptions.SectionName);
        var options = section.Get<ConsistencyOptions>() ?? new ConsistencyOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors));
        builder.Services.Configure<ConsistencyOptions>(section);
        builder.Services.AddSingleton<ConsistencyService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConsistencyService>());
        builder.Services.AddSingleton<ConsistencyActions>();
        builder.Services.AddSingleton<CheckRunReader>();
        builder.Services.AddSingleton<ResyncFollowUpCheck>();
        builder.Services.AddHostedService<CheckProgressBroadcaster>();
        return builder;
    }
}
