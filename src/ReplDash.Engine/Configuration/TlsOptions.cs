namespace ReplDash.Engine.Configuration;

/// <summary>
/// TLS for the process's listeners (ReplDash:Tls), off by default: the dashboard, every RESP listener and the
/// replication listeners each switch it on separately, all with the one certificate (docs/OPERATIONS.md, "TLS").
/// </summary>
public sealed class TlsOptions
{
    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 file (.pfx/.p12).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; empty for PKCS#12 or a PEM holding its key.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 file or an encrypted PEM key. Never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>HTTPS for the dashboard, its REST API and hub.</summary>
    public bool Http { get; set; }

    /// <summary>TLS on every RESP listener this process hosts (<c>redis-cli --tls</c>).</summary>
    public bool Resp { get; set; }

    /// <summary>
    /// TLS on the replication links: masters' listeners accept TLS only, and slaves dial their masters with TLS and
    /// verify the master's certificate against <see cref="TrustedCertificatePath"/>.
    /// </summary>
    public bool Replication { get; set; }

    /// <summary>
    /// The certificate (a CA's or the master's own, PEM or DER) a slave trusts for its master's replication listener.
    /// Empty: the process's own <see cref="CertificatePath"/> (one certificate shared by the cluster).
    /// </summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>True when any listener uses TLS.</summary>
    public bool AnyEnabled => Http || Resp || Replication;
}
