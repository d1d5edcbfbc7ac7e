using System.ComponentModel;
using System.Diagnostics;
using Edge.Speech.Synthesis;

namespace Edge.Speech.Output;

/// <summary>
/// Plays audio as it arrives through ALSA's <c>aplay</c> (Debian: alsa-utils), fed raw 16-bit PCM over a pipe.
/// Playing never stops a synthesis: when aplay is missing, cannot open a sound device or quits, <see cref="Problem"/>
/// says so in one line and later writes are dropped. Linux's player; it runs wherever an aplay does.
/// </summary>
public sealed class AplayPlayer : IAudioSink, IDisposable
{
    private readonly Process? _process;
    private readonly Stream? _pipe;
    private readonly Task<string>? _errors;
    private byte[] _bytes = new byte[8192];
    private bool _disposed;

    /// <summary>Starts <c>aplay</c> for mono audio at <paramref name="sampleRate"/> samples per second (<paramref name="program"/>: which aplay to run).</summary>
    public AplayPlayer(int sampleRate, string program = "aplay")
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in (string[])["-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-"])
            info.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(info);
        }
        catch (Win32Exception)
        {
            Problem = $"{program} was not found (install alsa-utils to play audio)";
            return;
        }
        if (_process is null)
        {
            Problem = $"{program} did not start";
            return;
        }
        _pipe = _process.StandardInput.BaseStream;
        _errors = _process.StandardError.ReadToEndAsync();
        _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
    }

    /// <summary>Why the audio is not being heard (one line), or null while it plays.</summary>
    public string? Problem { get; private set; }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<float> samples)
    {
        if (Problem is not null || _pipe is null) return;
        if (_process!.HasExited)
        {
            Failed();
            return;
        }
        if (_bytes.Length < samples.Length * 2) _bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            short s = (short)MathF.Round(Math.Clamp(samples[i], -1f, 1f) * short.MaxValue);
            _bytes[2 * i] = (byte)s;
            _bytes[2 * i + 1] = (byte)(s >> 8);
        }
        try
        {
            _pipe.Write(_bytes, 0, samples.Length * 2);
            _pipe.Flush();
        }
        catch (IOException)
        {
            Failed();
        }
    }

    /// <summary>Closes the pipe and waits for aplay to play out what it holds.</summary>
    public void Dispose()
    {
        if (_process is null || _disposed) return;
        _disposed = true;
        try
        {
            _pipe?.Dispose();
        }
        catch (IOException)
        {
            // aplay already quit; its exit code says why below.
        }
        if (!_process.WaitForExit(TimeSpan.FromMinutes(10))) _process.Kill();
        if (Problem is null && _process.ExitCode != 0) Failed();
        _process.Dispose();
    }

    private void Failed()
    {
        _process!.WaitForExit(TimeSpan.FromSeconds(5));
        string said = _errors is not null && _errors.Wait(TimeSpan.FromSeconds(2)) ? _errors.Result : "";
        // aplay's own line ("aplay: ... audio open error: ...") says more than the ALSA library's lines before it.
        var lines = said.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string first = lines.FirstOrDefault(l => l.StartsWith("aplay:", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? $"exit code {_process.ExitCode}";
        Problem = $"aplay could not play the audio ({MessageText.Value(first, 160)})";
    }
}
