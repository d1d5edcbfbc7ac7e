using Edge.Formats.Safetensors;
using Edge.Packages;

namespace Edge.Speech.Codecs;

/// <summary>
/// The files of one codec folder, inside a package (folder or zip) or on its own on disk. Every read is
/// size-checked before anything is allocated: the folder is untrusted input.
/// </summary>
internal sealed class CodecFolder
{
    /// <summary>Largest codec.json accepted.</summary>
    public const long MaxJsonBytes = 1 << 16;

    /// <summary>Largest tensor or graph file accepted (1 GiB).</summary>
    public const long MaxFileBytes = 1L << 30;

    private readonly ModelPackage? _package;
    private readonly string _folder;

    private CodecFolder(ModelPackage? package, string folder, string displayRoot)
    {
        _package = package;
        _folder = folder;
        DisplayRoot = displayRoot;
    }

    /// <summary>How messages name the folder (the package path and the folder inside it).</summary>
    public string DisplayRoot { get; }

    /// <summary>The codec folder <paramref name="folder"/> (relative, '/' separated) of an opened package.</summary>
    public static CodecFolder InPackage(ModelPackage package, string folder)
    {
        string rel = folder.Replace('\\', '/').TrimEnd('/');
        return new CodecFolder(package, rel, $"{package.Path}/{rel}");
    }

    /// <summary>A codec folder on disk, outside any package (tools and tests).</summary>
    public static CodecFolder OnDisk(string folder)
    {
        Fail.If(!Directory.Exists(folder), EdgeErrorCode.FileNotFound, $"{folder}: no such codec folder. Give the folder that holds codec.json.");
        return new CodecFolder(null, Path.GetFullPath(folder), folder.TrimEnd('/', '\\'));
    }

    /// <summary>The name a message uses for a file of the folder.</summary>
    public string Display(string name) => $"{DisplayRoot}/{name}";

    /// <summary>True when the folder holds the file.</summary>
    public bool Has(string name) => _package is not null ? _package.HasFile($"{_folder}/{name}") : File.Exists(Path.Combine(_folder, name));

    /// <summary>Reads a whole file after checking its size against <paramref name="maxBytes"/>.</summary>
    public byte[] ReadAllBytes(string name, long maxBytes)
    {
        Fail.If(!Has(name), EdgeErrorCode.InvalidPackage, $"{Display(name)}: missing. A codec folder holds codec.json and the files it names.");
        using var s = Open(name);
        Fail.If(s.Length > maxBytes, EdgeErrorCode.InvalidPackage, $"{Display(name)}: {s.Length} bytes is over the {maxBytes}-byte limit for this file.");
        var bytes = new byte[s.Length];
        s.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Opens a safetensors file of the folder, validated (header, offsets, sizes).</summary>
    public SafetensorsFile OpenSafetensors(string name)
    {
        Fail.If(!Has(name), EdgeErrorCode.InvalidPackage, $"{Display(name)}: missing. A codec folder holds codec.json and the files it names.");
        var s = Open(name);
        try
        {
            return SafetensorsFile.Open(s, Display(name), MaxFileBytes);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    /// <summary>A path on disk for the file when there is one (ONNX Runtime reads external data beside it), else null.</summary>
    public string? TryGetPath(string name) => _package is not null ? _package.TryGetFilePath($"{_folder}/{name}") : Path.Combine(_folder, name);

    private Stream Open(string name)
    {
        if (_package is not null) return _package.OpenFile($"{_folder}/{name}");
        return new FileStream(Path.Combine(_folder, name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
    }
}
