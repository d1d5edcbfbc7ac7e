using Edge.Streams;

namespace Edge.Fuzz;

/// <summary>
/// What the harnesses share within one process: the repository's committed models (found above the program's
/// folder, or at EDGE_REPO), a scratch folder where inputs become files, and models loaded once, so that AFL's
/// persistent loop spends its time in the parser and not in start-up.
/// </summary>
public sealed class FuzzFixtures : IDisposable
{
    private readonly Dictionary<string, EdgeModel> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelStream> _streams = new(StringComparer.Ordinal);

    /// <summary>Finds the repository and makes a scratch folder of this process.</summary>
    public FuzzFixtures()
    {
        Root = FindRoot();
        Scratch = Path.Combine(Path.GetTempPath(), $"edge-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Scratch);
    }

    /// <summary>The repository's root (the folder with Edge.sln).</summary>
    public string Root { get; }

    /// <summary>This process's scratch folder, removed at dispose.</summary>
    public string Scratch { get; }

    /// <summary>A path under the repository.</summary>
    public string Repo(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> in the scratch folder and returns its path.</summary>
    public string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(Scratch, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// A scratch folder named <paramref name="name"/> holding copies of <paramref name="files"/> (repository paths),
    /// made once; a harness then writes the fuzzed file into it on every run.
    /// </summary>
    public string Folder(string name, params string[] files)
    {
        string folder = Path.Combine(Scratch, name);
        if (Directory.Exists(folder)) return folder;
        Directory.CreateDirectory(folder);
        foreach (string f in files)
        {
            string target = Path.Combine(folder, Path.GetFileName(f));
            File.Copy(Repo(f), target);
        }
        return folder;
    }

    /// <summary>A committed model, loaded once on the CPU backend.</summary>
    public EdgeModel Model(string repoPath)
    {
        if (!_models.TryGetValue(repoPath, out var model))
        {
            model = EdgeModel.Load(Repo(repoPath));
            _models[repoPath] = model;
        }
        return model;
    }

    /// <summary>One stream of a committed model, created once and reset by the harness that uses it.</summary>
    public ModelStream Stream(string repoPath)
    {
        if (!_streams.TryGetValue(repoPath, out var stream))
        {
            stream = Model(repoPath).CreateStream();
            _streams[repoPath] = stream;
        }
        return stream;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in _streams.Values) s.Dispose();
        foreach (var m in _models.Values) m.Dispose();
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a crash path; the folder is under the temp folder and named for this process.
        }
    }

    private static string FindRoot()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("EDGE_REPO");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "Edge.sln"))) return Path.GetFullPath(fromEnv);
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Edge.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository was not found above this program or the current folder; set EDGE_REPO to the folder with Edge.sln.");
    }
}
