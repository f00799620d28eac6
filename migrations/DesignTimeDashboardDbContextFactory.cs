using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ReplDash.Web.Store;

namespace ReplDash.Migrations;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model from this project alone, without starting the
/// web host (which would start the engine's nodes and bind their ports).
/// </summary>
public sealed class DesignTimeDashboardDbContextFactory : IDesignTimeDbContextFactory<DashboardDbContext>
{
    /// <inheritdoc />
    public DashboardDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<DashboardDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(DesignTimeDashboardDbContextFactory).Assembly.GetName().Name))
            .Options;
        return new DashboardDbContext(options);
    }
}
