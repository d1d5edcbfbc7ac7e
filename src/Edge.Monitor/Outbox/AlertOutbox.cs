using System.Text;
using System.Text.Json;

namespace Edge.Monitor.Outbox;

/// <summary>
/// The on-disk outbox: an alert is written to its own file and fsynced (file and folder) before anything sends it, and
/// is removed only after the broker acknowledged it, its id first appended (and fsynced) to <c>acked.log</c>. A crash at
/// any point leaves the alert either waiting (sent again, marked <see cref="Alert.Redelivery"/>) or acknowledged (never
/// sent again). Thread-safe.
/// </summary>
public sealed class AlertOutbox : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly object _gate = new();
    private readonly string _folder;
    private readonly HashSet<string> _acked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingIds = new(StringComparer.Ordinal);
    private readonly LinkedList<OutboxEntry> _pending = new();
    private readonly FileStream _ackLog;
    private readonly SemaphoreSlim _signal = new(0);
    private long _sequence;

    /// <summary>Opens (or creates) the outbox in <paramref name="folder"/>; alerts left there by an earlier run wait to be sent again.</summary>
    public AlertOutbox(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        string log = Path.Combine(folder, "acked.log");
        if (File.Exists(log))
        {
            foreach (string line in File.ReadLines(log))
            {
                if (line.Length > 0) _acked.Add(line);   // a torn last line (a crash mid-append) is a partial id that matches nothing
            }
        }
        _ackLog = new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.Read);
        var found = new List<(long Seq, OutboxEntry Entry)>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.alert.json"))
        {
            string name = Path.GetFileName(file);
            Alert? alert = null;
            try
            {
                alert = JsonSerializer.Deserialize<Alert>(File.ReadAllBytes(file), Json);
            }
            catch (JsonException)
            {
                // Not written by us (ours are complete before the rename); keep it aside for a person to look at.
                File.Move(file, file + ".unreadable", overwrite: true);
                Unreadable++;
                continue;
            }
            if (alert is null || _acked.Contains(alert.Id))
            {
                File.Delete(file);   // acknowledged just before a crash: the ledger holds it, the file is a leftover
                continue;
            }
            long seq = long.TryParse(name.AsSpan(0, name.IndexOf('.')), out long s) ? s : 0;
            found.Add((seq, new OutboxEntry(alert, file, redelivery: true)));
        }
        foreach (var (seq, entry) in found.OrderBy(f => f.Seq))
        {
            _pending.AddLast(entry);
            _pendingIds.Add(entry.Alert.Id);
            _sequence = Math.Max(_sequence, seq);
        }
        if (_pending.Count > 0) _signal.Release();
    }

    /// <summary>Files found at start that were not alerts (renamed to *.unreadable).</summary>
    public int Unreadable { get; }

    /// <summary>Alerts waiting for the broker's acknowledgement.</summary>
    public int Pending { get { lock (_gate) return _pending.Count; } }

    /// <summary>Alerts acknowledged by the broker over the outbox's life (the ledger's length).</summary>
    public int Acknowledged { get { lock (_gate) return _acked.Count; } }

    /// <summary>
    /// Writes <paramref name="alert"/> durably and queues it; false (nothing written) when an alert with its id is already
    /// waiting or was acknowledged, as happens when a stream replays readings after a restart.
    /// </summary>
    public bool Enqueue(Alert alert)
    {
        lock (_gate)
        {
            if (_acked.Contains(alert.Id) || _pendingIds.Contains(alert.Id)) return false;
            long seq = ++_sequence;
            string file = Path.Combine(_folder, $"{seq:D19}.alert.json");
            string tmp = file + ".tmp";
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                fs.Write(JsonSerializer.SerializeToUtf8Bytes(alert, Json));
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, file, overwrite: true);
            DurableDirectory.Sync(_folder);
            _pending.AddLast(new OutboxEntry(alert, file, redelivery: false));
            _pendingIds.Add(alert.Id);
        }
        _signal.Release();
        return true;
    }

    /// <summary>Fills <paramref name="into"/> with up to <paramref name="max"/> of the oldest waiting alerts, oldest first.</summary>
    public void PeekOldest(List<OutboxEntry> into, int max)
    {
        into.Clear();
        lock (_gate)
        {
            for (var n = _pending.First; n is not null && into.Count < max; n = n.Next) into.Add(n.Value);
        }
    }

    /// <summary>Waits until an alert may be waiting (or <paramref name="timeout"/> passes).</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    /// <summary>Records that the broker acknowledged <paramref name="entries"/>: their ids go to the ledger (one fsync), then their files are deleted.</summary>
    public void Acknowledge(IReadOnlyList<OutboxEntry> entries)
    {
        if (entries.Count == 0) return;
        lock (_gate)
        {
            var sb = new StringBuilder();
            foreach (var e in entries) sb.Append(e.Alert.Id).Append('\n');
            _ackLog.Write(Encoding.UTF8.GetBytes(sb.ToString()));
            _ackLog.Flush(flushToDisk: true);
            foreach (var e in entries)
            {
                _acked.Add(e.Alert.Id);
                _pending.Remove(e);
                _pendingIds.Remove(e.Alert.Id);
                File.Delete(e.File);
            }
        }
    }

    /// <summary>The payload sent for <paramref name="alert"/>.</summary>
    public static byte[] Payload(Alert alert) => JsonSerializer.SerializeToUtf8Bytes(alert, Json);

    /// <summary>Closes the ledger.</summary>
    public void Dispose()
    {
        _ackLog.Dispose();
        _signal.Dispose();
    }
}
