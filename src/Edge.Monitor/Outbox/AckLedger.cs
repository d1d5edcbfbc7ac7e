using System.Globalization;
using System.Text;

namespace Edge.Monitor.Outbox;

/// <summary>
/// <c>acked.log</c>: the ids of alerts the broker acknowledged, one a line, appended and fsynced before their outbox
/// records may go. Compaction keeps it (and its copy in memory) bounded over months: per stream, a watermark line
/// <c>&lt; DEVICE/STREAM/W</c> stands for every id of that stream below position W, and only the ids at or above it stay.
/// Only the publisher's thread changes it; <see cref="Contains"/> is called under the outbox's lock.
/// </summary>
internal sealed class AckLedger : IDisposable
{
    /// <summary>Lines appended since the last compaction before the next one (plus the compacted file's own lines, doubled).</summary>
    public const int CompactEvery = 4096;
    private const string WatermarkMark = "< ";
    private readonly string _path;
    private readonly Dictionary<string, long> _below = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private FileStream _log;
    private int _lines;
    private int _compactedLines;

    public AckLedger(string path)
    {
        _path = path;
        if (File.Exists(path))
        {
            foreach (string line in File.ReadLines(path))
            {
                // A torn last line (a crash mid-append) is a partial id that matches nothing.
                if (line.Length == 0) continue;
                _lines++;
                if (line.StartsWith(WatermarkMark, StringComparison.Ordinal) && Split(line.AsSpan(WatermarkMark.Length), out var prefix, out long w))
                    _below[prefix.ToString()] = Math.Max(w, _below.GetValueOrDefault(prefix.ToString()));
                else _ids.Add(line);
            }
        }
        _compactedLines = _lines;
        _log = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <summary>Lines in the file now (watermarks and ids).</summary>
    public int Lines => _lines;

    /// <summary>Ids the ledger holds one by one (not counting those a watermark stands for).</summary>
    public int ExplicitIds => _ids.Count;

    /// <summary>True when <paramref name="id"/> was acknowledged.</summary>
    public bool Contains(string id)
    {
        if (_ids.Contains(id)) return true;
        return Split(id, out var prefix, out long position) && _below.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(prefix, out long w) && position < w;
    }

    /// <summary>Appends <paramref name="entries"/>' ids with one fsync (no lock held: only the publisher writes the file).</summary>
    public void Append(IReadOnlyList<OutboxEntry> entries)
    {
        var sb = new StringBuilder();
        foreach (var e in entries) sb.Append(e.Alert.Id).Append('\n');
        _log.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        _log.Flush(flushToDisk: true);
        _lines += entries.Count;
    }

    /// <summary>Adds the appended ids to the copy in memory (under the outbox's lock, once they are on disk).</summary>
    public void Remember(IReadOnlyList<OutboxEntry> entries)
    {
        foreach (var e in entries) _ids.Add(e.Alert.Id);
    }

    /// <summary>True when enough lines were appended since the last compaction.</summary>
    public bool ShouldCompact => _lines >= 2 * _compactedLines + CompactEvery;

    /// <summary>
    /// The compacted ledger, worked out under the outbox's lock: for each stream the watermark is the lowest position still
    /// waiting in the outbox, or one past the highest acknowledged. Alerts of a stream are raised, written and sent in
    /// position order, so every id below that is acknowledged.
    /// </summary>
    public Compaction Plan(IReadOnlyDictionary<string, long> lowestWaiting)
    {
        var highest = new Dictionary<string, long>(_below.Count, StringComparer.Ordinal);
        foreach (string id in _ids)
        {
            if (Split(id, out var prefix, out long p))
            {
                string key = prefix.ToString();
                highest[key] = Math.Max(p, highest.GetValueOrDefault(key, -1));
            }
        }
        var below = new Dictionary<string, long>(_below, StringComparer.Ordinal);
        foreach (var (prefix, high) in highest)
        {
            long w = Math.Min(high + 1, lowestWaiting.TryGetValue(prefix, out long low) ? low : long.MaxValue);
            below[prefix] = Math.Max(w, below.GetValueOrDefault(prefix));
        }
        var keep = _ids.Where(id => !(Split(id, out var prefix, out long p) && below.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(prefix, out long w) && p < w)).ToList();
        return new Compaction(below, keep);
    }

    /// <summary>Writes <paramref name="plan"/> as the new file (temp, fsync, rename, folder fsync: the old file or the new one survives a crash).</summary>
    public void Write(Compaction plan)
    {
        var sb = new StringBuilder();
        foreach (var (prefix, w) in plan.Below.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            sb.Append(WatermarkMark).Append(prefix).Append('/').Append(w.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (string id in plan.Keep) sb.Append(id).Append('\n');
        string tmp = _path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(Encoding.UTF8.GetBytes(sb.ToString()));
            fs.Flush(flushToDisk: true);
        }
        _log.Dispose();
        File.Move(tmp, _path, overwrite: true);
        DurableDirectory.Sync(Path.GetDirectoryName(_path)!);
        _log = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _lines = _compactedLines = plan.Below.Count + plan.Keep.Count;
    }

    /// <summary>Makes the copy in memory match the written plan (under the outbox's lock).</summary>
    public void Apply(Compaction plan)
    {
        foreach (var (prefix, w) in plan.Below) _below[prefix] = w;
        _ids.Clear();
        _ids.UnionWith(plan.Keep);
    }

    /// <summary>Splits <c>DEVICE/STREAM/POSITION</c> into its stream prefix and position.</summary>
    public static bool Split(ReadOnlySpan<char> id, out ReadOnlySpan<char> prefix, out long position)
    {
        int slash = id.LastIndexOf('/');
        prefix = slash > 0 ? id[..slash] : default;
        position = -1;
        return slash > 0 && long.TryParse(id[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }

    /// <inheritdoc />
    public void Dispose() => _log.Dispose();

    /// <summary>A compacted ledger: the watermark of each stream and the ids at or above it.</summary>
    public sealed record Compaction(Dictionary<string, long> Below, List<string> Keep);
}
