using System.Text.Json;

namespace Edge.Monitor.Outbox;

/// <summary>
/// The on-disk outbox. <see cref="Enqueue"/> never waits for the disk (a stream's step loop calls it): its own thread
/// appends the queued alerts to a segment file (<c>NNN.alerts</c>, one JSON line each) and fsyncs once per batch, and
/// only then may the publisher send them. An acknowledged alert's id goes to <c>acked.log</c> (fsynced) and a segment is
/// deleted once all its alerts are acknowledged; the ledger is compacted as it grows (<see cref="AckLedger"/>), so
/// neither grows without bound. A checkpoint waits (<see cref="WaitWritten"/>) until every alert raised before it is
/// on disk, so a crash never loses an alert: it is on disk (sent again, marked <see cref="Alert.Redelivery"/>),
/// acknowledged (never sent again), or raised again by the replay from the last checkpoint.
/// <para>
/// Memory is bounded whatever the backlog: at most <see cref="MemoryAlerts"/> of the oldest waiting alerts are held in
/// memory (the window the publisher sends from); the rest are only on disk and are read back in order, from a cursor
/// into the segments, as the window drains. A repeat is recognised without a set of the waiting ids: a stream raises its
/// alerts in position order, so an id at or below the highest position the stream has queued (or left on disk) is one
/// already queued or acknowledged; the ledger knows the acknowledged ones whose segments are gone. Thread-safe.
/// </para>
/// </summary>
public sealed class AlertOutbox : IDisposable
{
    /// <summary>The default bound on the waiting alerts held in memory.</summary>
    public const int DefaultMemoryAlerts = 4096;
    private const long SegmentBytes = 4 << 20;
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly object _gate = new();
    private readonly string _folder;
    private readonly Action<string>? _problem;
    private readonly AckLedger _ledger;
    private readonly int _memoryAlerts;
    private readonly LinkedList<OutboxEntry> _window = new();
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _live = [];
    private readonly SortedDictionary<long, long> _ends = [];   // segment → bytes written and fsynced (whole lines)
    private readonly long _earlierSegments;                     // segments up to this one were written by an earlier run
    private readonly SemaphoreSlim _signal = new(0);
    private readonly byte[] _readBuffer = new byte[64 << 10];
    private readonly Thread _writer;
    private List<OutboxEntry> _queued = [], _writing = [];
    private FileStream? _segment;
    private long _segmentId, _segmentLength, _current = -1;
    private long _sequence, _writtenSequence;
    private int _pending;
    private bool _behind;                   // some alerts on disk are not in the window; the cursor points at the first
    private long _cursorSegment, _cursorOffset;
    private bool _closing;

    /// <summary>
    /// Opens (or creates) the outbox in <paramref name="folder"/>; alerts left there by an earlier run wait to be sent again.
    /// <paramref name="problem"/> hears of a write that failed (the alerts stay queued and the write is retried).
    /// <paramref name="memoryAlerts"/> bounds the waiting alerts held in memory (the rest wait on disk only).
    /// </summary>
    public AlertOutbox(string folder, Action<string>? problem = null, int memoryAlerts = DefaultMemoryAlerts)
    {
        Fail.If(memoryAlerts < 1, EdgeErrorCode.InvalidArgument, $"memoryAlerts is {memoryAlerts}; give 1 or more.");
        _folder = folder;
        _problem = problem;
        _memoryAlerts = memoryAlerts;
        Directory.CreateDirectory(folder);
        _ledger = new AckLedger(Path.Combine(folder, "acked.log"));
        foreach (string file in Directory.EnumerateFiles(folder, "*.alerts").Order(StringComparer.Ordinal))
        {
            if (!long.TryParse(Path.GetFileNameWithoutExtension(file), out long segment)) continue;
            _segmentId = Math.Max(_segmentId, segment);
            int live = 0;
            long end = 0;
            byte[] bytes = File.ReadAllBytes(file);
            for (int start = 0; start < bytes.Length;)
            {
                int newline = Array.IndexOf(bytes, (byte)'\n', start);
                Alert? alert = null;
                if (newline >= 0)
                {
                    try { alert = JsonSerializer.Deserialize<Alert>(bytes.AsSpan(start, newline - start), Json); }
                    catch (JsonException) { }
                }
                if (alert is null)
                {
                    // A torn line is a batch cut by a crash before its fsync returned: no checkpoint passed it or anything
                    // after it, so the streams raise them again; the rest of the file is not read (counted here).
                    UnreadableLines += bytes.AsSpan(start).Count((byte)'\n') + (bytes[^1] == (byte)'\n' ? 0 : 1);
                    break;
                }
                end = newline + 1;
                start = newline + 1;
                if (AckLedger.Split(alert.Id, out var prefix, out long position))
                {
                    var highest = _highest.GetAlternateLookup<ReadOnlySpan<char>>();
                    highest[prefix] = Math.Max(position, highest.TryGetValue(prefix, out long h) ? h : -1);
                }
                if (!_ledger.Contains(alert.Id)) live++;
            }
            if (live == 0)
            {
                File.Delete(file);
                continue;
            }
            _live[segment] = live;
            _ends[segment] = end;
            _pending += live;
        }
        _earlierSegments = _segmentId;
        if (_pending > 0)
        {
            _behind = true;
            _cursorSegment = _ends.Keys.First();
            Refill();
            _signal.Release();
        }
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "edge-monitor outbox" };
        _writer.Start();
    }

    /// <summary>Lines of segment files found at start that were not read (a batch torn by a crash and what followed it).</summary>
    public int UnreadableLines { get; }

    /// <summary>Alerts not yet acknowledged by the broker (queued, in memory or on disk only).</summary>
    public int Pending { get { lock (_gate) return _pending; } }

    /// <summary>Waiting alerts held in memory for the publisher: at most <see cref="MemoryAlerts"/>.</summary>
    public int InMemory { get { lock (_gate) return _window.Count; } }

    /// <summary>The bound on <see cref="InMemory"/>.</summary>
    public int MemoryAlerts => _memoryAlerts;

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
            if (Known(alert.Id)) return false;
            _queued.Add(new OutboxEntry(alert, Interlocked.Increment(ref _sequence), redelivery: false));
            _pending++;
            if (_queued.Count == 1) System.Threading.Monitor.PulseAll(_gate);
        }
        return true;
    }

    // Under the lock. A stream raises its alerts in position order, and what reached the disk of them is a prefix of that
    // order (one writer, batches in order, each fsynced before the next), so an id at or below the highest position seen
    // is queued, on disk or acknowledged; above it only the ledger can know it (acknowledged, its segment deleted).
    private bool Known(string id)
    {
        if (!AckLedger.Split(id, out var prefix, out long position)) return _ledger.Contains(id);
        var highest = _highest.GetAlternateLookup<ReadOnlySpan<char>>();
        if (highest.TryGetValue(prefix, out long h) && position <= h) return true;
        if (_ledger.Contains(id)) return true;
        highest[prefix] = position;
        return false;
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

    /// <summary>
    /// Fills <paramref name="into"/> with up to <paramref name="max"/> of the oldest alerts on disk, oldest first, first
    /// reading back from disk what the window has room for. Called by the publisher only (one caller at a time).
    /// </summary>
    public void PeekOldest(List<OutboxEntry> into, int max)
    {
        into.Clear();
        Refill();
        lock (_gate)
        {
            for (var n = _window.First; n is not null && into.Count < max; n = n.Next) into.Add(n.Value);
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
                if (e.Node is null) continue;
                _window.Remove(e.Node);
                e.Node = null;
                _pending--;
                if (--_live[e.Segment] > 0) continue;
                _live.Remove(e.Segment);
                // The segment being written goes when it is closed; any other goes now.
                if (e.Segment == _current) continue;
                _ends.Remove(e.Segment);
                done.Add(e.Segment);
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

    // The lowest position still waiting in each stream: a compaction's watermark must not pass it. The window holds the
    // oldest waiting alerts, and a stream's alerts wait in position order, so a stream's lowest waiting position is in the
    // window; one with none there waits only above every position of it acknowledged so far.
    private Dictionary<string, long> LowestWaiting()
    {
        var lowest = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookup = lowest.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var n = _window.First; n is not null; n = n.Next)
        {
            if (!AckLedger.Split(n.Value.Alert.Id, out var prefix, out long p)) continue;
            lookup[prefix] = Math.Min(p, lookup.TryGetValue(prefix, out long low) ? low : long.MaxValue);
        }
        return lowest;
    }

    // Reads back from disk, in order, what the window has room for once it is half empty. Only the publisher (or the
    // constructor) calls it; the lock is not held while reading, so the streams never wait for the disk.
    private void Refill()
    {
        long segment, offset;
        int room;
        List<KeyValuePair<long, long>> segments;
        lock (_gate)
        {
            if (!_behind || _window.Count > _memoryAlerts / 2) return;
            segment = _cursorSegment;
            offset = _cursorOffset;
            room = _memoryAlerts - _window.Count;
            segments = _ends.Where(kv => kv.Key >= segment).ToList();
        }
        var read = new List<OutboxEntry>(Math.Min(room, 4096));
        long stopSegment = segment, stopOffset = offset;
        bool full = false;
        foreach (var (s, end) in segments)
        {
            long from = s == segment ? offset : 0;
            stopSegment = s;
            stopOffset = from;
            if (from >= end) continue;
            try
            {
                using var file = new FileStream(SegmentPath(s), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                // Read in chunks through one small buffer (no large arrays: nothing for the GC's large-object heap).
                for (long at = from; at < end && !full;)
                {
                    file.Seek(at, SeekOrigin.Begin);
                    int length = (int)Math.Min(_readBuffer.Length, end - at);
                    file.ReadExactly(_readBuffer, 0, length);
                    int start = 0;
                    while (true)
                    {
                        if (read.Count == room)
                        {
                            full = true;
                            break;
                        }
                        int newline = Array.IndexOf(_readBuffer, (byte)'\n', start, length - start);
                        if (newline < 0) break;   // a line cut by the chunk's end: read again from its start
                        var alert = JsonSerializer.Deserialize<Alert>(_readBuffer.AsSpan(start, newline - start), Json)!;
                        var entry = new OutboxEntry(alert, 0, redelivery: s <= _earlierSegments) { Segment = s, Offset = at + start, End = at + newline + 1 };
                        start = newline + 1;
                        stopOffset = at + start;
                        // Acknowledged in an earlier run (the ledger is the publisher's own: no lock needed to read it here).
                        if (!_ledger.Contains(alert.Id)) read.Add(entry);
                    }
                    if (start == 0 && !full)
                        throw new EdgeException(EdgeErrorCode.InvalidState, $"{SegmentPath(s)}: a line at byte {at} is longer than {_readBuffer.Length} bytes; it is not an alert the outbox wrote.");
                    at += start;
                }
            }
            catch (FileNotFoundException)
            {
                stopOffset = end;   // deleted meanwhile: every alert in it was acknowledged
            }
            if (full) break;
        }
        lock (_gate)
        {
            foreach (var e in read) e.Node = _window.AddLast(e);
            bool caughtUp = !full && !_ends.Keys.Any(k => k > stopSegment) && (!_ends.TryGetValue(stopSegment, out long end) || end == stopOffset);
            if (caughtUp) _behind = false;
            else (_cursorSegment, _cursorOffset) = (stopSegment, stopOffset);
        }
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
                    _live[e.Segment] = _live.GetValueOrDefault(e.Segment) + 1;
                    _ends[e.Segment] = e.End;
                    if (_behind) continue;
                    if (_window.Count < _memoryAlerts)
                    {
                        e.Node = _window.AddLast(e);
                        continue;
                    }
                    // The window is full: this alert and the ones after it wait on disk only, read back as it drains.
                    _behind = true;
                    (_cursorSegment, _cursorOffset) = (e.Segment, e.Offset);
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
            e.Offset = _segmentLength + buffer.Length;
            JsonSerializer.Serialize(buffer, e.Alert, Json);
            buffer.WriteByte((byte)'\n');
            e.End = _segmentLength + buffer.Length;
            e.Segment = _current;
        }
        _segment!.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        _segment.Flush(flushToDisk: true);
        _segmentLength += buffer.Length;
    }

    // Starts a new segment, first writing what the batch holds for the current one.
    private void Roll(MemoryStream buffer)
    {
        // Alerts of this batch written to the segment being closed are not counted in it yet: it must not be deleted as empty.
        bool wrote = _segment is not null && buffer.Length > 0;
        if (wrote)
        {
            _segment!.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            _segment.Flush(flushToDisk: true);
            _segmentLength += buffer.Length;
            buffer.SetLength(0);
        }
        CloseSegment(keep: wrote);
        long id;
        lock (_gate) _current = id = ++_segmentId;
        _segment = new FileStream(SegmentPath(id), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _segmentLength = 0;
        DurableDirectory.Sync(_folder);
    }

    private void CloseSegment(bool keep = false)
    {
        if (_segment is null) return;
        long closed = _current;
        try { _segment.Dispose(); } catch (IOException) { }
        _segment = null;
        bool empty;
        lock (_gate)
        {
            empty = !keep && !_live.ContainsKey(closed);
            if (empty) _ends.Remove(closed);
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
