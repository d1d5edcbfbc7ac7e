using System.Diagnostics;

namespace Edge.Diagnostics;

/// <summary>Resident set size of this process, read without touching new memory (Linux: /proc/self/statm).</summary>
public static class ResidentMemory
{
    private static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>Bytes resident now.</summary>
    public static long Bytes()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // statm: size resident shared text lib data dt, in pages.
                string text = File.ReadAllText("/proc/self/statm");
                int a = text.IndexOf(' ');
                int b = text.IndexOf(' ', a + 1);
                return long.Parse(text.AsSpan(a + 1, b - a - 1)) * PageSize;
            }
            catch (IOException)
            {
            }
        }
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}
