using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Edge.Monitor.Config;

/// <summary>
/// Reads and checks a monitor config: an unknown key, a missing file, a bad value is one <see cref="EdgeException"/>
/// (InvalidConfig or FileNotFound) naming the key's JSON path and what to do. Relative paths are resolved against
/// the config file's folder, so a config and its data can move together.
/// </summary>
public static partial class MonitorConfigReader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    /// <summary>Reads <paramref name="path"/>, checks every value and file, and returns the config with absolute paths.</summary>
    public static MonitorConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"monitor config '{MessageText.Value(path, 200)}' does not exist; give the path of a JSON config (see monitor-config.schema.json).");
        var info = new FileInfo(path);
        Fail.If(info.Length > 4 << 20, EdgeErrorCode.InvalidConfig, $"{path}: {info.Length} bytes is too large for a monitor config (at most 4 MiB).");
        MonitorConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<MonitorConfig>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new EdgeException(EdgeErrorCode.InvalidConfig, $"{path}: {Describe(e)}");
        }
        Fail.If(config is null, EdgeErrorCode.InvalidConfig, $"{path}: the file is JSON null; write an object with device, state_dir, broker and streams.");
        return Check(config, Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    private static string Describe(JsonException e)
    {
        // System.Text.Json says "could not be mapped" for an unknown key; the user wants the key's path and the fix.
        string where = e.Path ?? "$";
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
            return $"unknown key at {where}; check its spelling against monitor-config.schema.json (keys are snake_case).";
        return $"not a valid monitor config at {where} (line {e.LineNumber + 1}): {e.Message.Split(" Path:")[0]}";
    }

    private static MonitorConfig Check(MonitorConfig c, string root, string file)
    {
        void Need(bool ok, string key, string what)
        {
            if (!ok) throw new EdgeException(EdgeErrorCode.InvalidConfig, $"{file}: {key} {what}");
        }
        string? Existing(string? p, string key, bool folder = false)
        {
            if (p is null) return null;
            string full = Path.GetFullPath(p, root);
            bool there = folder ? Directory.Exists(full) : File.Exists(full);
            if (!there) throw new EdgeException(EdgeErrorCode.FileNotFound, $"{file}: {key} '{MessageText.Value(p, 200)}' does not exist (resolved to {full}); fix the path (relative paths start at the config's folder).");
            return full;
        }

        Need(NamePattern().IsMatch(c.Device), "$.device", $"'{MessageText.Value(c.Device, 80)}' must be 1-64 letters, digits, '-' or '_' (it is a topic level).");
        Need(c.StateDir.Length > 0, "$.state_dir", "is missing; name the folder for checkpoints and the outbox.");
        string stateDir = Path.GetFullPath(c.StateDir, root);
        string? parent = Path.GetDirectoryName(stateDir);
        if (!Directory.Exists(stateDir) && (parent is null || !Directory.Exists(parent)))
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{file}: $.state_dir '{MessageText.Value(c.StateDir, 200)}': neither it nor its parent folder exists; create the parent.");
        Need(double.IsFinite(c.CheckpointIntervalS) && c.CheckpointIntervalS >= 0.1, "$.checkpoint_interval_s", $"is {c.CheckpointIntervalS}; give 0.1 seconds or more.");
        Need(c.Workers is >= 0 and <= 256, "$.workers", $"is {c.Workers}; give 0 (one per core) to 256.");
        Need(c.Alerts is not null, "$.alerts", "is null; give an object or leave it out.");
        Need(c.Alerts!.RepeatEvery >= 0, "$.alerts.repeat_every", $"is {c.Alerts.RepeatEvery}; give 0 (no still_active alerts) or a number of readings.");
        Need(c.Alerts.ClearAfter >= 1, "$.alerts.clear_after", $"is {c.Alerts.ClearAfter}; give 1 or more readings.");
        Need(c.Outbox is not null, "$.outbox", "is null; give an object or leave it out.");
        Need(c.Outbox!.MemoryAlerts is >= 1 and <= 10_000_000, "$.outbox.memory_alerts", $"is {c.Outbox.MemoryAlerts}; give 1 to 10000000 alerts.");
        Need(c.Metrics.Port is >= 0 and <= 65535, "$.metrics.port", $"is {c.Metrics.Port}; give 0 (off) or a TCP port.");

        var b = c.Broker;
        Need(b.Host.Length > 0, "$.broker.host", "is empty; name the broker's host.");
        Need(b.Port is > 0 and <= 65535, "$.broker.port", $"is {b.Port}; give a TCP port.");
        Need(NamePattern().IsMatch(b.TopicPrefix), "$.broker.topic_prefix", "must be letters, digits, '-' or '_' (one topic level).");
        Need(b.ClientId is null || b.ClientId.Length is > 0 and <= 128, "$.broker.client_id", "must be 1-128 characters.");
        Need(b.Password is null || b.PasswordFile is null, "$.broker.password", "and password_file are both set; keep one.");
        Need(b.Username is not null || (b.Password is null && b.PasswordFile is null), "$.broker.password", "is set without a username; add broker.username.");
        Need(double.IsFinite(b.ReconnectS) && b.ReconnectS >= 0.05, "$.broker.reconnect_s", $"is {b.ReconnectS}; give 0.05 seconds or more.");
        Need(b.InFlight is >= 1 and <= 65535, "$.broker.in_flight", $"is {b.InFlight}; give 1 to 65535 alerts.");
        Need(double.IsFinite(b.KeepAliveS) && b.KeepAliveS >= 1, "$.broker.keep_alive_s", $"is {b.KeepAliveS}; give 1 second or more.");
        TlsConfig? tls = b.Tls is null ? null : new TlsConfig
        {
            CaFile = Existing(b.Tls.CaFile, "$.broker.tls.ca_file"),
            ClientCertFile = Existing(b.Tls.ClientCertFile, "$.broker.tls.client_cert_file"),
            ClientKeyFile = Existing(b.Tls.ClientKeyFile, "$.broker.tls.client_key_file"),
            ServerName = b.Tls.ServerName,
        };
        Need(tls is null || (tls.ClientCertFile is null) == (tls.ClientKeyFile is null), "$.broker.tls.client_cert_file", "and client_key_file go together; give both or neither.");
        var broker = new BrokerConfig
        {
            Host = b.Host, Port = b.Port, ClientId = b.ClientId, TopicPrefix = b.TopicPrefix, Username = b.Username, Password = b.Password,
            PasswordFile = Existing(b.PasswordFile, "$.broker.password_file"), Tls = tls, ReconnectS = b.ReconnectS, KeepAliveS = b.KeepAliveS, InFlight = b.InFlight,
        };

        Need(c.Streams.Count > 0, "$.streams", "is empty; list at least one stream.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var streams = new List<StreamConfig>(c.Streams.Count);
        for (int i = 0; i < c.Streams.Count; i++)
        {
            var s = c.Streams[i];
            string at = $"$.streams[{i}]";
            Need(s is not null, at, "is null; write a stream object.");
            Need(NamePattern().IsMatch(s!.Name), $"{at}.name", $"'{MessageText.Value(s.Name, 80)}' must be 1-64 letters, digits, '-' or '_'.");
            Need(names.Add(s.Name), $"{at}.name", $"'{s.Name}' is used by another stream; names are unique.");
            Need(s.Pipeline == "pdm", $"{at}.pipeline", $"'{MessageText.Value(s.Pipeline, 40)}' is not a pipeline; the one there is is \"pdm\".");
            Need(double.IsFinite(s.GapS) && s.GapS >= 0, $"{at}.gap_s", $"is {s.GapS}; give 0 (off) or a positive number of seconds.");
            Need(double.IsFinite(s.SilenceS) && s.SilenceS >= 0, $"{at}.silence_s", $"is {s.SilenceS}; give 0 (off) or a positive number of seconds.");
            var src = s.Source;
            SourceConfig source;
            switch (src.Kind)
            {
                case "csv":
                    Need(src.Path is not null, $"{at}.source.path", "is missing; a csv source names its file.");
                    Need(src.Topics is null, $"{at}.source.topics", "belongs to an mqtt source; remove it.");
                    Need(double.IsFinite(src.RateHz) && src.RateHz is >= 0 and <= 100_000, $"{at}.source.rate_hz", $"is {src.RateHz}; give 0 (as fast as possible) to 100000.");
                    source = new SourceConfig { Kind = "csv", Path = Existing(src.Path, $"{at}.source.path"), RateHz = src.RateHz, Loop = src.Loop };
                    break;
                case "mqtt":
                    Need(src.Topics is not null, $"{at}.source.topics", "is missing; an mqtt source names its bias, monitor and case_temp topics.");
                    Need(src.Path is null && src.RateHz == 0 && !src.Loop, $"{at}.source.path", "rate_hz and loop belong to a csv source; remove them.");
                    Need(src.Topics!.Bias.Length > 0 && src.Topics.Monitor.Length > 0 && src.Topics.CaseTemp.Length > 0, $"{at}.source.topics", "needs all three of bias, monitor and case_temp.");
                    source = src;
                    break;
                default:
                    throw new EdgeException(EdgeErrorCode.InvalidConfig, $"{file}: {at}.source.kind '{MessageText.Value(src.Kind, 40)}' is not a source; use \"csv\" or \"mqtt\".");
            }
            streams.Add(new StreamConfig { Name = s.Name, Source = source, Pipeline = s.Pipeline, GapS = s.GapS, SilenceS = s.SilenceS });
        }
        return new MonitorConfig
        {
            Device = c.Device, Models = Existing(c.Models, "$.models", folder: true), StateDir = stateDir, CheckpointIntervalS = c.CheckpointIntervalS, Workers = c.Workers,
            Broker = broker, Metrics = c.Metrics, Streams = streams, Alerts = c.Alerts, Outbox = c.Outbox,
        };
    }
}
