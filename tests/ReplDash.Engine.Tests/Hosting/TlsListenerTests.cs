using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Hosting;

/// <summary>
/// ReplDash:Tls with a self-signed certificate made here: the dashboard over HTTPS, the RESP listeners with
/// <c>redis-cli --tls</c>, and the replication links (issue 15). Plain text is not served where TLS is on, and a
/// slave that does not trust its master's certificate does not link.
/// </summary>
public class TlsListenerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EveryListener_ServesTls_AndReplicationRunsOverIt()
    {
        var dir = RepositoryPaths.NewTempDirectory("tls");
        var (certPath, keyPath) = WriteSelfSigned(dir, "repldash-test");
        ClusterConfig cluster = null!; // set by the attempt that started
        await using var app = await PortCollisionRetry.RunAsync(() =>
        {
            cluster = new ClusterConfig();
            var settings = cluster.For("m1,s1,s2");
            AddTls(settings, certPath, keyPath, http: true, resp: true, replication: true);
            return ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("tls-data"), settings,
                respPort: cluster.MasterResp, readyPort: cluster.MasterResp);
        });

        // redis-cli --tls, verifying the certificate: a semi-sync write is acknowledged by both slaves over TLS links.
        Assert.Equal("OK", await RedisCliTls(cluster.MasterResp, certPath, "SET", "secure", "yes"));
        Assert.Equal("2", await RedisCliTls(cluster.MasterResp, certPath, "WAIT", "2", "10000"));
        await Poll.UntilAsync(async () => await RedisCliTls(cluster.Slave1Resp, certPath, "GET", "secure") == "yes", "s1 to apply", Deadline);
        Assert.Equal("yes", await RedisCliTls(cluster.Slave2Resp, certPath, "GET", "secure"));

        // Plain text gets no answer from a TLS listener.
        using (var plain = await RespTestClient.ConnectAsync(cluster.MasterResp, TimeSpan.FromSeconds(5)))
            await Assert.ThrowsAnyAsync<Exception>(async () => Assert.Equal("PONG", await plain.CallAsync("PING")));

        // The dashboard over HTTPS, verified against the certificate; plain HTTP is not served.
        using var trusted = X509CertificateLoader.LoadCertificateFromFile(certPath);
        using var https = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => Chains(c!, trusted) })
            { BaseAddress = app.BaseAddress };
        TestCredentials.Authorize(https);
        Assert.Equal("https", app.BaseAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync("healthz")).StatusCode);
        var nodes = (await https.GetFromJsonAsync<JsonElement>("api/cluster")).GetProperty("nodes");
        Assert.Equal("streaming", Node(nodes, "s1").GetProperty("link").GetProperty("linkState").GetString());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync($"http://127.0.0.1:{app.HttpPort}/healthz"));
        Assert.DoesNotContain("BEGIN PRIVATE KEY", app.Output);
    }

    [Fact]
    public async Task SlaveThatDoesNotTrustTheMastersCertificate_DoesNotLink()
    {
        var dir = RepositoryPaths.NewTempDirectory("tls-untrusted");
        var (masterCert, masterKey) = WriteSelfSigned(Path.Combine(dir, "master-cert"), "repldash-master");
        var (otherCert, otherKey) = WriteSelfSigned(Path.Combine(dir, "other-cert"), "someone-else");
        ClusterConfig cluster = null!; // set by the attempt that started
        await using var master = await PortCollisionRetry.RunAsync(() =>
        {
            cluster = new ClusterConfig { SemiSync = false };
            var masterSettings = cluster.For("m1");
            AddTls(masterSettings, masterCert, masterKey, http: false, resp: false, replication: true);
            return ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("tls-m1"), masterSettings,
                respPort: cluster.MasterResp, readyPort: cluster.MasterResp);
        });
        await using var slave = await PortCollisionRetry.RunAsync(() =>
        {
            var slaveSettings = cluster.For("s1");
            AddTls(slaveSettings, otherCert, otherKey, http: false, resp: false, replication: true);
            return ReplDashProcess.StartAsync(RepositoryPaths.NewTempDirectory("tls-s1"), slaveSettings,
                respPort: cluster.MasterResp, readyPort: cluster.Slave1Resp);
        });

        await Poll.UntilAsync(async () => (await LinkAsync(slave.BaseAddress)).GetProperty("lastError").GetString()?.Contains("TLS") == true,
            "s1 to report the failed TLS handshake", Deadline);
        var link = await LinkAsync(slave.BaseAddress);
        Assert.NotEqual("streaming", link.GetProperty("linkState").GetString());
        Assert.Contains($"127.0.0.1:{cluster.MasterReplication}", link.GetProperty("lastError").GetString());
        using var http = TestCredentials.Client(master.BaseAddress);
        var masterNode = Node((await http.GetFromJsonAsync<JsonElement>("api/cluster")).GetProperty("nodes"), "m1");
        Assert.Equal(0, masterNode.GetProperty("slaves").GetArrayLength());
    }

    private static void AddTls(Dictionary<string, string> settings, string cert, string key, bool http, bool resp, bool replication)
    {
        settings["ReplDash__Tls__CertificatePath"] = cert;
        settings["ReplDash__Tls__KeyPath"] = key;
        settings["ReplDash__Tls__Http"] = http.ToString();
        settings["ReplDash__Tls__Resp"] = resp.ToString();
        settings["ReplDash__Tls__Replication"] = replication.ToString();
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, as PEM certificate and key files.</summary>
    private static (string Cert, string Key) WriteSelfSigned(string dir, string name)
    {
        Directory.CreateDirectory(dir);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string certPath = Path.Combine(dir, "cert.pem"), keyPath = Path.Combine(dir, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private static bool Chains(X509Certificate2 presented, X509Certificate2 trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    private static async Task<string> RedisCliTls(int port, string caCert, params string[] args) =>
        await RedisCli.RunAsync(port, ["-h", "127.0.0.1", "--tls", "--cacert", caCert, .. args]);

    private static JsonElement Node(JsonElement nodes, string id) =>
        nodes.EnumerateArray().Single(n => n.GetProperty("id").GetString() == id);

    private static async Task<JsonElement> LinkAsync(Uri baseAddress)
    {
        using var http = TestCredentials.Client(baseAddress);
        return Node((await http.GetFromJsonAsync<JsonElement>("api/cluster")).GetProperty("nodes"), "s1").GetProperty("link");
    }
}
