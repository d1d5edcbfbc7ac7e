using System.Text.Json;

namespace Edge.Monitor.Outbox;

/// <summary>
/// The on-disk outbox. <see cref="Enqueue"/> never waits for the disk (a stream's step loop calls it): its own thread
/// appends the queued alerts to a segment file (<c>NNN.alerts</c>, one JSON line each) and fsyncs once per batch, and
/// only then may the publisher send them. An acknowledged alert's id goes to <c>acked.log</c> (fsynced) and a segment is
/// deleted once all its alerts are acknowledged; the ledger is compacted as it grows (<see cref="AckLedger"/>), so
/// neither grows without bound. A checkpoint waits (<see cref="WaitWritten"/>) until every alert raised before it is
/// on disk, so a crash never loses an alert: it is on disk (sent again, marked <see cref="Alert.Redelivery"/>),
/// acknowledged (never sent again), or raised again by the replay from the last checkpoint. Thread-safe.
/// </summary>
public sealed class AlertOutbox : IDisposable
{
    private const long SegmentBytes = 4 << 20;
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly object _gate = new();
    private readonly string _folder;
    private readonly Action<string>? _problem;
    private readonly AckLedger _ledger;
    private readonly HashSet<string> _waitingIds = new(StringComparer.Ordinal);
    private readonly LinkedList<OutboxEntry> _written = new();
    private readonly Dictionary<long, int> _live = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread _writer;
    private List<OutboxEntry> _queued = [], _writing = [];
    private FileStream? _segment;
    private long _segmentId, _segmentLength, _current = -1;
    private long _sequence, _writtenSequence;
    private bool _closing;

    /// <summary>
    /// Opens (or creates) the outbox in <paramref name="folder"/>; alerts left there by an earlier run wait to be sent again.
    /// <paramref name="problem"/> hears of a write that failed (the alerts stay queued and the write is retried).
    /// </summary>
    public AlertOutbox(string folder, Action<string>? problem = null)
    {
        _folder = folder;
        _problem = problem;
        Directory.CreateDirectory(folder);
        _ledger = new AckLedger(Path.Combine(folder, "acked.log"));
        foreach (string file in Directory.EnumerateFiles(folder, "*.alerts").Order(StringComparer.Ordinal))
        {
            if (!long.TryParse(Path.GetFileNameWithoutExtension(file), out long segment)) continue;
            _segmentId = Math.Max(_segmentId, segment);
            int live = 0;
            foreach (string line in File.ReadLines(file))
            {
                Alert? alert = null;
                try
                {
                    alert = JsonSerializer.Deserialize<Alert>(line, Json);
                }
                catch (JsonException)
                {
                    // A torn last line is a batch cut by a crash before its fsync returned: no checkpoint passed it, so
                    // the stream raises it again. Anything else is not ours; it is counted.
                    UnreadableLines++;
                }
                if (alert is null || _ledger.Contains(alert.Id) || !_waitingIds.Add(alert.Id)) continue;
                _written.AddLast(new OutboxEntry(alert, ++_sequence, redelivery: true) { Segment = segment });
                live++;
            }
            if (live == 0) File.Delete(file);
            else _live[segment] = live;
        }
        _writtenSequence = _sequence;
        if (_written.Count > 0) _signal.Release();
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "edge-monitor outbox" };
        _writer.Start();
    }

    /// <summary>Lines of segment files found at start that were not alerts (a batch torn by a crash, or not written by the daemon).</summary>
    public int UnreadableLines { get; }

    /// <summary>Alerts not yet acknowledged by the broker (queued or on disk).</summary>
    public int Pending { get { lock (_gate) return _waitingIds.Count; } }

    /// <summary>Lines in <c>acked.log</c> now (it is compacted as it grows).</summary>
    public int LedgerLines { get { lock (_gate) return _ledger.Lines; } }

    /// <summary>The number of the last alert queued: a checkpoint taken now waits for it with <see cref="WaitWritten"/>.</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <summary>
    /// Queues <paramref name="alert"/> to be written and sent; false when an alert with its id is already waiting or was
    /// acknowledged, as happens when a stream replays readings after a restart. Never waits for the disk.
    /// </summary>
    public bool Enqueue(Alert alert)
    {
        lock (_gate)
        {
            if (_ledger.Contains(alert.Id) || !_waitingIds.Add(alert.Id)) return false;
            _queued.Add(new OutboxEntry(alert, Interlocked.Increment(ref _sequence), redelivery: false));
            if (_queued.Count == 1) System.Threading.Monitor.PulseAll(_gate);
        }
        return true;
    }

    /// <summary>Waits until every alert up to <paramref name="sequence"/> is on disk; false after <paramref name="timeout"/>.</summary>
    public bool WaitWritten(long sequence, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (_writtenSequence < sequence)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0) return false;
                System.Threading.Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
            }
        }
        return true;
    }

    /// <summary>Fills <paramref name="into"/> with up to <paramref name="max"/> of the oldest alerts on disk, oldest first.</summary>
    public void PeekOldest(List<OutboxEntry> into, int max)
    {
        into.Clear();
        lock (_gate)
        {
            for (var n = _written.First; n is not null && into.Count < max; n = n.Next) into.Add(n.Value);
        }
    }

    /// <summary>Waits until an alert may be waiting to be sent (or <paramref name="timeout"/> passes).</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// Records that the broker acknowledged <paramref name="entries"/>: their ids go to the ledger (one fsync), then they
    /// leave the outbox, and a segment none of whose alerts still wait is deleted. Called by the publisher only.
    /// </summary>
    public void Acknowledge(IReadOnlyList<OutboxEntry> entries)
    {
        if (entries.Count == 0) return;
        _ledger.Append(entries);
        var done = new List<long>();
        AckLedger.Compaction? plan = null;
        lock (_gate)
        {
            _ledger.Remember(entries);
            foreach (var e in entries)
            {
                _written.Remove(e);
                _waitingIds.Remove(e.Alert.Id);
                if (--_live[e.Segment] > 0) continue;
                _live.Remove(e.Segment);
                // The segment being written goes when it is closed; any other goes now.
                if (e.Segment != _current) done.Add(e.Segment);
            }
            if (_ledger.ShouldCompact) plan = _ledger.Plan(LowestWaiting());
        }
        // A deleted segment held only acknowledged alerts: if the delete is lost in a power cut, the ledger filters them.
        foreach (long s in done) File.Delete(SegmentPath(s));
        if (plan is null) return;
        _ledger.Write(plan);
        lock (_gate) _ledger.Apply(plan);
    }

    /// <summary>The payload sent for <paramref name="alert"/>.</summary>
    public static byte[] Payload(Alert alert) => JsonSerializer.SerializeToUtf8Bytes(alert, Json);

    /// <summary>
    /// Counts the alerts in an outbox folder not yet acknowledged, reading its files (for tools and tests; the daemon may be
    /// running, so a batch being written may be missed).
    /// </summary>
    public static int CountWaiting(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        string log = Path.Combine(folder, "acked.log");
        var acked = new HashSet<string>(StringComparer.Ordinal);
        var below = new Dictionary<string, long>(StringComparer.Ordinal);
        if (File.Exists(log))
        {
            using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            for (string? line; (line = reader.ReadLine()) is not null;)
            {
                if (line.StartsWith("< ", StringComparison.Ordinal) && AckLedger.Split(line.AsSpan(2), out var p, out long w)) below[p.ToString()] = w;
                else acked.Add(line);
            }
        }
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder, "*.alerts"))
        {
            try
            {
                using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
                for (string? line; (line = reader.ReadLine()) is not null;)
                {
                    string? id;
                    try { id = JsonSerializer.Deserialize<Alert>(line, Json)?.Id; } catch (JsonException) { continue; }
                    if (id is null || acked.Contains(id)) continue;
                    if (AckLedger.Split(id, out var p, out long pos) && below.TryGetValue(p.ToString(), out long w) && pos < w) continue;
                    waiting.Add(id);
                }
            }
            catch (FileNotFoundException) { }   // deleted meanwhile: all acknowledged
        }
        return waiting.Count;
    }

    // The lowest position still waiting in each stream: a compaction's watermark must not pass it.
    private Dictionary<string, long> LowestWaiting()
    {
        var lowest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string id in _waitingIds)
        {
            if (!AckLedger.Split(id, out var prefix, out long p)) continue;
            string key = prefix.ToString();
            lowest[key] = Math.Min(p, lowest.GetValueOrDefault(key, long.MaxValue));
        }
        return lowest;
    }

    private string SegmentPath(long segment) => Path.Combine(_folder, $"{segment:D19}.alerts");

    private void WriteLoop()
    {
        while (true)
        {
            lock (_gate)
            {
                while (_queued.Count == 0 && !_closing) System.Threading.Monitor.Wait(_gate);
                if (_queued.Count == 0) return;
                (_queued, _writing) = (_writing, _queued);
            }
            try
            {
                WriteBatch(_writing);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _problem?.Invoke($"alerts not written to {_folder} ({e.Message}); {_writing.Count} stay queued and the write is retried in 1 s");
                CloseSegment();   // a new segment for the retry: the failed one may end in a torn line
                lock (_gate)
                {
                    _writing.AddRange(_queued);
                    (_queued, _writing) = (_writing, _queued);
                    _writing.Clear();
                }
                Thread.Sleep(1000);
                continue;
            }
            lock (_gate)
            {
                foreach (var e in _writing)
                {
                    _written.AddLast(e);
                    _live[e.Segment] = _live.GetValueOrDefault(e.Segment) + 1;
                }
                _writtenSequence = _writing[^1].Sequence;
                _writing.Clear();
                System.Threading.Monitor.PulseAll(_gate);
            }
            _signal.Release();
        }
    }

    private void WriteBatch(List<OutboxEntry> batch)
    {
        using var buffer = new MemoryStream();
        foreach (var e in batch)
        {
            if (_segment is null || _segmentLength + buffer.Length > SegmentBytes) Roll(buffer);
            JsonSerializer.Serialize(buffer, e.Alert, Json);
            buffer.WriteByte((byte)'\n');
            e.Segment = _current;
        }
        _segment!.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        _segment.Flush(flushToDisk: true);
        _segmentLength += buffer.Length;
    }

    // Starts a new segment, first writing what the batch holds for the current one.
    private void Roll(MemoryStream buffer)
    {
        if (_segment is not null && buffer.Length > 0)
        {
            _segment.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            _segment.Flush(flushToDisk: true);
            buffer.SetLength(0);
        }
        CloseSegment();
        long id;
        lock (_gate) _current = id = ++_segmentId;
        _segment = new FileStream(SegmentPath(id), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _segmentLength = 0;
        DurableDirectory.Sync(_folder);
    }

    private void CloseSegment()
    {
        if (_segment is null) return;
        long closed = _current;
        try { _segment.Dispose(); } catch (IOException) { }
        _segment = null;
        bool empty;
        lock (_gate)
        {
            empty = !_live.ContainsKey(closed);
            _current = -1;
        }
        // A closed segment whose alerts were all acknowledged meanwhile (or that holds none) goes now; the rest go on their last acknowledgement.
        if (empty) File.Delete(SegmentPath(closed));
    }

    /// <summary>Writes what is queued (waiting up to 10 s for the disk), stops the writer and closes the files.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closing = true;
            System.Threading.Monitor.PulseAll(_gate);
        }
        if (!_writer.Join(TimeSpan.FromSeconds(10)))
            _problem?.Invoke($"alerts still queued at shutdown could not be written to {_folder}; the streams raise them again from their last checkpoints");
        CloseSegment();
        _ledger.Dispose();
        _signal.Dispose();
    }
}
