using System.Diagnostics;

namespace Edge.TestSupport.Speech;

/// <summary>Runs the Debian programs the speech tests listen and speak with; a missing one fails the test with what to install.</summary>
public static class ExternalProgram
{
    /// <summary>The packages that hold espeak-ng, sox and pocketsphinx_continuous with its en-us model.</summary>
    public const string Packages = "espeak-ng pocketsphinx pocketsphinx-en-us sox";

    /// <summary>Fails the test unless every program is on PATH.</summary>
    public static void Require(params string[] programs)
    {
        var missing = programs.Where(p => Find(p) is null).ToList();
        if (missing.Count > 0)
            Assert.Fail($"{string.Join(", ", missing)} not found on PATH: the speech tests need them. Install with `apt-get install {Packages}` (.ci/run does).");
    }

    /// <summary>Runs <paramref name="program"/> and returns its standard output; a non-zero exit fails the test with its error output.</summary>
    public static string Run(string program, params string[] arguments)
    {
        Require(program);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} ran for over 5 minutes: {string.Join(' ', arguments)}");
        }
        if (process.ExitCode != 0)
            Assert.Fail($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        return stdout;
    }

    private static string? Find(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string full = Path.Combine(dir, program);
            if (File.Exists(full)) return full;
        }
        return null;
    }
}
