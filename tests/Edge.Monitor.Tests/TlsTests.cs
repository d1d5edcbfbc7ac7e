using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Config;
using Edge.Monitor.Hosting;
using Edge.TestSupport;

namespace Edge.Monitor.Tests;

/// <summary>The config's TLS and username/password options reach MQTTnet: mosquitto with a certificate made here and a password file.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-monitor-tls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Alerts_arrive_over_tls_with_a_password_and_the_broker_certificate_checked_against_the_configured_ca()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=edge test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [1, 2, 3, 4]);
        string caFile = Path.Combine(_folder, "ca.pem"), certFile = Path.Combine(_folder, "server.pem"), keyFile = Path.Combine(_folder, "server.key");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        File.WriteAllText(certFile, server.ExportCertificatePem());
        File.WriteAllText(keyFile, serverKey.ExportPkcs8PrivateKeyPem());
        string passwords = Path.Combine(_folder, "passwords");
        using (var p = Process.Start("mosquitto_passwd", ["-b", "-c", passwords, "rig", "s3cret-pass"])) { p.WaitForExit(); Assert.Equal(0, p.ExitCode); }

        // mosquitto started as root drops to its own user, which must be able to read the files (a throwaway test key).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
            foreach (string f in new[] { caFile, certFile, keyFile, passwords }) File.SetUnixFileMode(f, (UnixFileMode)0b110_100_100);
        }
        using var broker = new MosquittoBroker(certFile, keyFile, passwords);
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(caFile);
        await using var subscriber = new AlertSubscriber(broker.Port, trust, ("rig", "s3cret-pass"));
        await subscriber.ConnectAsync();
        string csv = ReferenceAlerts.Unit(37);
        var expected = ReferenceAlerts.Ids("rig", "u37", csv);
        string config = MonitorConfigFile.Write(_folder, broker.Port, 0, [("u37", csv, 0)],
            tls: new { ca_file = caFile, server_name = "localhost" }, username: "rig", password: "s3cret-pass");

        using var stop = new CancellationTokenSource();
        var daemon = MonitorHost.RunAsync(MonitorConfigReader.Load(config), () => throw new InvalidOperationException(), stop.Token);
        bool all = await Eventually.TrueAsync(() => subscriber.Ids.IsSupersetOf(expected), 120);
        stop.Cancel();
        await daemon;
        Assert.True(all, $"{subscriber.Ids.Count} of {expected.Count} alerts arrived over TLS");
        Assert.Equal("offline", subscriber.Retained.GetValueOrDefault("edge/rig/status"));
    }
}
