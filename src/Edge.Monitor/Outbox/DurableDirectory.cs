using System.Runtime.InteropServices;

namespace Edge.Monitor.Outbox;

/// <summary>fsync of a folder, so that a rename or a delete in it survives a power loss (POSIX only; elsewhere a no-op).</summary>
internal static partial class DurableDirectory
{
    private const int ReadOnly = 0, Directory = 0x10000; // O_RDONLY, O_DIRECTORY (Linux)

    public static void Sync(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Open(folder, ReadOnly | Directory);
        if (fd < 0) return;   // a folder that cannot be opened cannot be synced; the file's own fsync still holds
        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
