using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ReplDash.Engine.Configuration;

namespace ReplDash.Engine.Hosting;

/// <summary>Loads the certificates of ReplDash:Tls and checks a master's certificate for a slave.</summary>
public static class TlsCertificates
{
    /// <summary>The server certificate with its private key, from PEM (certificate and key files) or PKCS#12.</summary>
    public static X509Certificate2 LoadServerCertificate(TlsOptions tls)
    {
        string path = tls.CertificatePath ?? throw new ArgumentException("ReplDash:Tls:CertificatePath is not set");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} does not exist");
        if (IsPkcs12(path))
            return X509CertificateLoader.LoadPkcs12FromFile(path, tls.CertificatePassword);
        if (!string.IsNullOrEmpty(tls.KeyPath) && !File.Exists(tls.KeyPath))
            throw new FileNotFoundException($"{tls.KeyPath} does not exist");
        var pem = string.IsNullOrEmpty(tls.CertificatePassword)
            ? X509Certificate2.CreateFromPemFile(path, NullIfEmpty(tls.KeyPath))
            : X509Certificate2.CreateFromEncryptedPemFile(path, tls.CertificatePassword, NullIfEmpty(tls.KeyPath));
        // Linux keeps an ephemeral PEM key usable for TLS as is; exporting to PKCS#12 and back gives it a store
        // that SslStream accepts everywhere.
        using (pem)
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>What a slave trusts for its master: ReplDash:Tls:TrustedCertificatePath, else the server certificate.</summary>
    public static X509Certificate2 LoadTrustedCertificate(TlsOptions tls)
    {
        string? path = NullIfEmpty(tls.TrustedCertificatePath) ?? tls.CertificatePath;
        if (path is null || !File.Exists(path))
            throw new FileNotFoundException($"ReplDash:Tls:TrustedCertificatePath: {path ?? "(not set)"} does not exist");
        return IsPkcs12(path)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, tls.CertificatePassword)
            : X509CertificateLoader.LoadCertificateFromFile(path);
    }

    /// <summary>
    /// A validation callback that accepts a certificate whose chain ends at <paramref name="trusted"/> (a CA, or the
    /// certificate itself when self-signed) and whose name matches the host dialled; the system's roots are not used.
    /// </summary>
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 trusted) =>
        (_, certificate, _, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                                    || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var presented = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(presented);
        };

    private static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
