using System.Security.Cryptography;

namespace Edge.Cli.Demo;

/// <summary>
/// The default models embedded in the tool. They are unpacked once into a cache folder keyed by
/// their content hash, so a new version of the tool never reads an old unpacked copy.
/// </summary>
internal static class DemoModels
{
    /// <summary>Unpacks model <paramref name="name"/> (e.g. gru-attention-ecg) and returns its folder.</summary>
    public static string Extract(string name)
    {
        var asm = typeof(DemoModels).Assembly;
        string prefix = $"models/{name}/";
        var resources = asm.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Order().ToList();
        if (resources.Count == 0)
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"the demo model '{name}' is not embedded in this build of edge; rebuild from a full clone of the repository.");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var contents = new List<(string Name, byte[] Bytes)>();
        foreach (var r in resources)
        {
            using var s = asm.GetManifestResourceStream(r)!;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            var bytes = ms.ToArray();
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(r));
            sha.AppendData(bytes);
            contents.Add((r[prefix.Length..], bytes));
        }
        string hash = Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
        string root = Path.Combine(CacheRoot(), $"{name}-{hash}");
        if (Directory.Exists(root)) return root;
        string staging = root + ".tmp" + Environment.ProcessId;
        foreach (var (file, bytes) in contents)
        {
            string path = Path.Combine(staging, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        try
        {
            Directory.Move(staging, root);
        }
        catch (IOException) when (Directory.Exists(root))
        {
            Directory.Delete(staging, recursive: true);   // another process unpacked it first
        }
        return root;
    }

    private static string CacheRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrEmpty(xdg) ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(baseDir, "edge", "demo");
    }
}
