namespace Edge.Formats;

/// <summary>Writes whole files so that a crash or power loss leaves either the old file or the new one, never a mix.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to a temporary file in the target's folder, flushes it to disk and renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        Fail.If(string.IsNullOrEmpty(path), EdgeErrorCode.InvalidArgument, "the path to write is empty; name a file.");
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: folder '{dir}' does not exist. Create it first.");
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Environment.ProcessId + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot write ({e.Message}). Check the folder's permissions and free space.");
        }
    }
}
