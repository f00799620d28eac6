using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ReplDash.Testing;

namespace ReplDash.Web.Tests.Infrastructure;

/// <summary>
/// The whole app in-process (TestServer), with its own temporary data folder and free ports so that
/// test classes can run in parallel and never touch the repository's <c>data/</c>.
/// </summary>
public class DashboardAppFactory : WebApplicationFactory<Program>
{
    /// <summary>Creates the factory and its temporary data folder.</summary>
    public DashboardAppFactory()
    {
        DataDir = RepositoryPaths.NewTempDirectory("web-in-process");
    }

    /// <summary>The data folder this host uses; deleted on dispose.</summary>
    public string DataDir { get; }

    /// <summary>Where the dashboard store lives for this host.</summary>
    public string DatabaseFile => Path.Combine(DataDir, "dashboard.db");

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ReplDash:DataDir", DataDir);
        builder.UseSetting("ReplDash:Http:Port", FreePort.Next().ToString());
        builder.UseSetting("ReplDash:Nodes:0:RespPort", FreePort.Next().ToString());
        // Host only the master, on its own ports: the default embedded slaves would collide between tests.
        builder.UseSetting("ReplDash:Node", "m1");
        builder.UseSetting("ReplDash:Nodes:0:ReplicationPort", FreePort.Next().ToString());
        builder.UseSetting("ReplDash:Admin:Password", TestCredentials.AdminPassword);
        builder.UseSetting("ReplDash:Admin:ApiKey", TestCredentials.OperatorApiKey);
    }

    /// <inheritdoc />
    /// <remarks>Clients send the admin's Operator key, as scripts do.</remarks>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        TestCredentials.Authorize(client);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a late finalizer: leave it to the temp folder cleanup.
            }
        }
    }
}
