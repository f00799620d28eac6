using ReplDash.Engine.Configuration;
using ReplDash.Web.Hosting;

namespace ReplDash.Web.Tests.Hosting;

/// <summary>The start-up banner warns when the process listens beyond loopback without TLS or without a RESP password.</summary>
public class ExposureWarningsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Loopback_NeedsNoWarning(string bindAddress) =>
        Assert.Empty(StartupBanner.ExposureWarnings(new ReplDashOptions { BindAddress = bindAddress }));

    [Fact]
    public void BeyondLoopback_WithoutTlsOrPassword_NamesWhatIsExposed()
    {
        var warnings = StartupBanner.ExposureWarnings(new ReplDashOptions { BindAddress = "0.0.0.0" }).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("without TLS for dashboard, RESP, replication", warnings[0]);
        Assert.Contains("without a password", warnings[1]);
    }

    [Fact]
    public void BeyondLoopback_WithTlsEverywhereAndAPassword_IsQuiet()
    {
        var options = new ReplDashOptions
        {
            BindAddress = "0.0.0.0",
            RequirePass = "a-password",
            Tls = new TlsOptions { Http = true, Resp = true, Replication = true, CertificatePath = "cert.pem" },
        };
        Assert.Empty(StartupBanner.ExposureWarnings(options));

        options.Tls.Resp = false;
        Assert.Equal("listening on 0.0.0.0 without TLS for RESP (ReplDash:Tls, docs/OPERATIONS.md \"TLS\")",
            Assert.Single(StartupBanner.ExposureWarnings(options)));
    }
}
