using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ReplDash.Engine.Configuration;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Hosting;

/// <summary>Wrong TLS settings stop the process at start with a reason that names the file, never the password.</summary>
public class TlsConfigTests
{
    private static ReplDashOptions WithTls(TlsOptions tls) => new()
    {
        Tls = tls,
        Nodes = { new NodeOptions { Id = "m1", Role = "master", RespPort = 7001, ReplicationPort = 7002 } },
    };

    [Fact]
    public void TlsOn_WithoutACertificate_IsRefused()
    {
        var error = Assert.Single(ReplDashOptionsValidator.Validate(WithTls(new TlsOptions { Resp = true })));
        Assert.Contains("ReplDash:Tls:CertificatePath is not set", error);
    }

    [Fact]
    public void MissingCertificateFile_IsRefused_NamingIt()
    {
        var missing = Path.Combine(RepositoryPaths.NewTempDirectory("tls-config"), "nope.pem");
        var error = Assert.Single(ReplDashOptionsValidator.Validate(WithTls(new TlsOptions { Http = true, CertificatePath = missing })));
        Assert.Contains(missing, error);
    }

    [Fact]
    public void Pkcs12WithAWrongPassword_IsRefused_WithoutThePassword()
    {
        var dir = RepositoryPaths.NewTempDirectory("tls-config");
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=t", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(dir, "server.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "right-password"));

        Assert.Empty(ReplDashOptionsValidator.Validate(WithTls(new TlsOptions { Resp = true, CertificatePath = path, CertificatePassword = "right-password" })));
        var error = Assert.Single(ReplDashOptionsValidator.Validate(
            WithTls(new TlsOptions { Resp = true, CertificatePath = path, CertificatePassword = "wrong-password-7f3a" })));
        Assert.Contains("cannot load a certificate", error);
        Assert.DoesNotContain("wrong-password-7f3a", error);
    }

    [Fact]
    public void TlsOff_NeedsNothing() => Assert.Empty(ReplDashOptionsValidator.Validate(WithTls(new TlsOptions())));
}
