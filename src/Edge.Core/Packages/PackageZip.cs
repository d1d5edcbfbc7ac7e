using System.IO.Compression;
using System.Security.Cryptography;

namespace Edge.Packages;

/// <summary>
/// A zipped model package, read lazily: opening it reads only the zip's directory and checks every
/// entry's declared sizes; a file is inflated only when the package asks for it, and never past its
/// declared size, so a small zip cannot make us inflate or allocate gigabytes (a zip bomb).
/// </summary>
internal sealed class PackageZip
{
    /// <summary>Largest size one entry may declare: it is read into one array.</summary>
    public static readonly long MaxEntryBytes = Array.MaxLength;

    /// <summary>Largest total the entries may declare.</summary>
    public const long MaxTotalBytes = 8L << 30;

    /// <summary>
    /// Largest ratio of declared to compressed size for an entry over <see cref="RatioFreeBytes"/>: weights
    /// barely compress, while a zip bomb's entry inflates about a thousand times.
    /// </summary>
    public const long MaxCompressionRatio = 100;

    /// <summary>Entries up to this size may compress at any ratio (JSON, READMEs).</summary>
    public const long RatioFreeBytes = 1 << 20;

    private readonly string _path;
    private readonly Dictionary<string, (string Entry, long Length)> _entries;

    private PackageZip(string path, Dictionary<string, (string Entry, long Length)> entries)
    {
        _path = path;
        _entries = entries;
    }

    /// <summary>File names relative to the package root, '/' separated.</summary>
    public IEnumerable<string> Names => _entries.Keys;

    /// <summary>True when the package holds the file.</summary>
    public bool Contains(string relative) => _entries.ContainsKey(relative);

    /// <summary>The size the zip declares for a file the package holds.</summary>
    public long LengthOf(string relative) => _entries[relative].Length;

    /// <summary>Reads a zip's directory and checks the sizes every entry declares against the file's real length and the caps.</summary>
    public static PackageZip Open(string path)
    {
        long fileLength = new FileInfo(path).Length;
        var entries = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        using var zip = OpenArchive(path);
        var all = EntriesOf(zip, path);
        // A zip of a folder often has that folder as its only top-level entry: strip it.
        var names = all.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName.Replace('\\', '/')).ToList();
        string prefix = "";
        if (!names.Contains("model.json"))
        {
            var inner = names.FirstOrDefault(n => n.EndsWith("/model.json", StringComparison.Ordinal) && n.Count(c => c == '/') == 1);
            if (inner is not null) prefix = inner[..(inner.Length - "model.json".Length)];
        }
        long total = 0;
        foreach (var e in all)
        {
            string name = e.FullName.Replace('\\', '/');
            if (name.EndsWith('/') || !name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            // Messages are built only when a check fails: a zip may hold many entries.
            string Shown() => MessageText.Value(name);
            if (e.CompressedLength > fileLength)
                Fail.With(EdgeErrorCode.InvalidPackage, $"{path}: entry '{Shown()}' claims {e.CompressedLength} compressed bytes but the zip has only {fileLength}. The zip is corrupt.");
            if (e.Length > MaxEntryBytes)
                Fail.With(EdgeErrorCode.InvalidPackage,
                    $"{path}: entry '{Shown()}' unpacks to {e.Length} bytes, over the {MaxEntryBytes}-byte limit for a file inside a zip. Unpack the package into a folder and open the folder.");
            if (e.Length > RatioFreeBytes && e.Length > MaxCompressionRatio * Math.Max(e.CompressedLength, 1))
                Fail.With(EdgeErrorCode.InvalidPackage,
                    $"{path}: entry '{Shown()}' claims to inflate from {e.CompressedLength} to {e.Length} bytes, more than {MaxCompressionRatio} times; model files do not compress that well (a zip bomb or a corrupt zip). Unpack it with a tool you trust and open the folder.");
            total += e.Length;
            if (total > MaxTotalBytes)
                Fail.With(EdgeErrorCode.InvalidPackage, $"{path}: the zip unpacks to more than {MaxTotalBytes} bytes. Unpack it into a folder and open the folder.");
            if (!entries.TryAdd(name[prefix.Length..], (e.FullName, e.Length)))
                Fail.With(EdgeErrorCode.InvalidPackage, $"{path}: entry '{Shown()}' appears twice in the zip. The zip is corrupt; make it again from the package folder.");
        }
        return new PackageZip(path, entries);
    }

    /// <summary>Inflates one file, refusing it when its declared size is over <paramref name="maxBytes"/> or differs from what it inflates to.</summary>
    public byte[] ReadAll(string relative, long maxBytes)
    {
        var (entryName, length) = _entries[relative];
        Fail.If(length > maxBytes, EdgeErrorCode.InvalidPackage,
            $"{_path}: '{MessageText.Value(relative)}' unpacks to {length} bytes, over the {maxBytes}-byte limit for it.");
        var bytes = new byte[length];
        int filled = 0;
        Inflate(relative, entryName, length, (chunk, n) =>
        {
            chunk.AsSpan(0, n).CopyTo(bytes.AsSpan(filled));
            filled += n;
        });
        return bytes;
    }

    /// <summary>The SHA-256 of one file, hashed as it inflates (nothing is kept).</summary>
    public string Sha256(string relative)
    {
        var (entryName, length) = _entries[relative];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Inflate(relative, entryName, length, (chunk, n) => sha.AppendData(chunk, 0, n));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    // Reads at most the declared length plus one byte: an entry may inflate to more than it declares.
    // (System.IO.Compression stops at the declared length today; this keeps the bound whatever it does.)
    private void Inflate(string relative, string entryName, long length, Action<byte[], int> sink)
    {
        string shown = MessageText.Value(relative);
        try
        {
            using var zip = OpenArchive(_path);
            var entry = zip.GetEntry(entryName);
            Fail.If(entry is null || entry.Length != length, EdgeErrorCode.InvalidPackage, $"{_path}: '{shown}' changed since the package was opened. Open it again.");
            using var s = entry.Open();
            var buffer = new byte[1 << 16];
            long done = 0;
            while (true)
            {
                int want = (int)Math.Min(buffer.Length, length - done + 1);
                int n = s.Read(buffer, 0, want);
                if (n == 0) break;
                Fail.If(done + n > length, EdgeErrorCode.InvalidPackage,
                    $"{_path}: '{shown}' inflates to more than the {length} bytes its zip entry declares. The zip is corrupt or crafted; unpack it with a tool you trust.");
                sink(buffer, n);
                done += n;
            }
            Fail.If(done != length, EdgeErrorCode.InvalidPackage,
                $"{_path}: '{shown}' inflates to {done} bytes but its zip entry declares {length}. The zip is truncated or corrupt.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new EdgeException(EdgeErrorCode.InvalidPackage, $"{_path}: '{shown}' cannot be unpacked ({MessageText.Value(e.Message, 200)}). The zip is corrupt.");
        }
    }

    // The central directory is read on first use of Entries, not when the archive opens, so its faults surface here.
    private static System.Collections.ObjectModel.ReadOnlyCollection<ZipArchiveEntry> EntriesOf(ZipArchive zip, string path)
    {
        try
        {
            return zip.Entries;
        }
        catch (InvalidDataException e)
        {
            throw new EdgeException(EdgeErrorCode.InvalidPackage, $"{path}: the zip's central directory is corrupt ({MessageText.Value(e.Message, 200)}). Make the zip again from the package folder.");
        }
    }

    private static ZipArchive OpenArchive(string path)
    {
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new EdgeException(EdgeErrorCode.InvalidPackage, $"{path}: not a package folder and not a valid zip ({MessageText.Value(e.Message, 200)}).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot read ({MessageText.Value(e.Message, 200)}). Check the path.");
        }
    }
}
