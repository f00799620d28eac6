using ReplDash.Web.Extensions;
using ReplDash.Web.Hosting;

// Socket completions run on the epoll threads rather than hopping to the thread pool: the engine's handlers
// never block, and this saves a context switch per request (GET 77k -> 90-100k ops/s, SET +5%, see
// docs/BENCHMARKS.md). Read once when the first socket is created, so it is set before anything else;
// an operator's own setting (0 turns it off) wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

// The repository root holds appsettings.json and wwwroot/, whatever the working directory.
var contentRoot = ContentRootLocator.Find();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    // No config reload: its watcher covers the whole content root, data/ included, and would wake on every
    // binlog write (measured at 3-8% of a core under load). Configuration is read once at start.
    Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
    ContentRootPath = contentRoot,
    WebRootPath = Path.Combine(contentRoot, "wwwroot"),
});

// Outside Development, package assets (_content/MudBlazor/...) are only served from a build output with this.
builder.WebHost.UseStaticWebAssets();

builder.AddReplDashDashboard();
builder.AddReplDashSecurity();
builder.AddReplDashEngine();
builder.AddReplDashConsistency();

var app = builder.Build();
app.MapReplDashDashboard();
app.Run();

/// <summary>Visible to <c>WebApplicationFactory&lt;Program&gt;</c> in the web tests.</summary>
public partial class Program
{
}
