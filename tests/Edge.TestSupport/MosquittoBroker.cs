using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Edge.TestSupport;

/// <summary>
/// A real Mosquitto broker on 127.0.0.1 at a free port, with its own config file in a temp folder, started and
/// killed by the test (the Debian package <c>mosquitto</c> must be installed; .ci/run installs it). With a certificate
/// and key (PEM files) the listener speaks TLS; with a password file (mosquitto_passwd format) it checks passwords.
/// Stop and Start again keep the port.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly string _folder;
    private readonly string _config;
    private Process? _process;

    public MosquittoBroker(string? certFile = null, string? keyFile = null, string? passwordFile = null)
    {
        _folder = Directory.CreateTempSubdirectory("edge-mosquitto-").FullName;
        _config = Path.Combine(_folder, "mosquitto.conf");
        // The free port is found by binding and releasing it; another process may take it in between, so a broker
        // that cannot listen is retried on a fresh port.
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort();
            string tls = certFile is null ? "" : $"certfile {certFile}\nkeyfile {keyFile}\n";
            string auth = passwordFile is null ? "allow_anonymous true\n" : $"allow_anonymous false\npassword_file {passwordFile}\n";
            // Persistence, as a fleet's broker has it: the sessions of consumers that asked for one (and the messages
            // queued for them) survive a stop, which is saved on the way down.
            File.WriteAllText(_config, $"listener {Port} 127.0.0.1\n{tls}{auth}persistence true\npersistence_location {_folder}/\nmax_queued_messages 100000\n");
            try
            {
                Start();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Stop();
            }
        }
    }

    public int Port { get; private set; }

    public static string Executable
    {
        get
        {
            foreach (string candidate in new[] { "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto" })
            {
                if (File.Exists(candidate)) return candidate;
            }
            throw new InvalidOperationException("mosquitto is not installed; the MQTT tests need a real broker (apt-get install -y mosquitto).");
        }
    }

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo(Executable, $"-c \"{_config}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode} on port {Port}");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Stops the broker as a service manager does (SIGTERM, so it saves its sessions), killing it if it has not exited in 10 s.</summary>
    public void Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using (var term = Process.Start(new ProcessStartInfo("kill", $"-TERM {_process.Id}") { UseShellExecute = false })) term?.WaitForExit();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
