using System.Security.Cryptography;
using ReplDash.Engine.Hosting;

namespace ReplDash.Engine.Configuration;

/// <summary>TLS settings: a listener with TLS needs a certificate that loads, and a slave needs something to trust.</summary>
public static partial class ReplDashOptionsValidator
{
    private static void ValidateTls(TlsOptions tls, List<string> errors)
    {
        if (!tls.AnyEnabled)
            return;
        if (string.IsNullOrWhiteSpace(tls.CertificatePath))
        {
            errors.Add("ReplDash:Tls: Http, Resp or Replication is on but ReplDash:Tls:CertificatePath is not set "
                       + "(a PEM certificate with ReplDash:Tls:KeyPath, or a PKCS#12 file).");
            return;
        }
        try
        {
            using var certificate = TlsCertificates.LoadServerCertificate(tls);
            if (!certificate.HasPrivateKey)
                errors.Add($"ReplDash:Tls:CertificatePath: {tls.CertificatePath} has no private key (set ReplDash:Tls:KeyPath).");
            if (tls.Replication)
                using (TlsCertificates.LoadTrustedCertificate(tls)) { }
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException or ArgumentException)
        {
            // The message names the file; the password is never part of it.
            errors.Add($"ReplDash:Tls: cannot load a certificate: {e.Message}");
        }
    }
}
