using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace Edge.Audio.Wav;

/// <summary>
/// Reads a WAV file (PCM 8/16/24/32-bit or IEEE float, any channel count) as mono float samples, channels
/// averaged, resampled with NAudio's WDL resampler when a sample rate is asked for.
/// </summary>
public static class WavReader
{
    /// <summary>Longest clip read into memory.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    /// <summary>Reads <paramref name="path"/> as mono; at <paramref name="sampleRate"/> when given, else at the file's rate.</summary>
    public static AudioClip ReadMono(string path, int? sampleRate = null)
    {
        if (!File.Exists(path)) throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: no such WAV file.");
        if (sampleRate is < 1000 or > 384_000)
            throw new EdgeException(EdgeErrorCode.InvalidArgument, $"sample rate {sampleRate} Hz is outside 1000..384000.");
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(path);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or ArgumentException)
        {
            throw new EdgeException(EdgeErrorCode.InvalidInput, $"{path}: not a readable WAV file ({e.Message.TrimEnd('.')}). Give a RIFF/WAVE file with PCM or float samples.", e);
        }
        using (reader)
        {
            var format = reader.WaveFormat;
            CheckFormat(format, path);
            ISampleProvider samples;
            try
            {
                samples = reader.ToSampleProvider();
            }
            catch (ArgumentException e)
            {
                throw new EdgeException(EdgeErrorCode.InvalidInput,
                    $"{path}: WAV encoding {format.Encoding} ({format.BitsPerSample}-bit) is not supported; convert it to PCM or float, e.g. ffmpeg -i IN -c:a pcm_s16le OUT.wav.", e);
            }
            if (format.SampleRate * MaxDuration.TotalSeconds < reader.SampleCount)
                throw new EdgeException(EdgeErrorCode.InvalidInput, $"{path}: longer than {MaxDuration.TotalMinutes:F0} minutes; split it first.");
            ISampleProvider mono = format.Channels == 1 ? samples : new ChannelAverager(samples);
            int rate = sampleRate ?? format.SampleRate;
            ISampleProvider output = rate == format.SampleRate ? mono : new WdlResamplingSampleProvider(mono, rate);
            try
            {
                return new AudioClip(ReadAll(output, reader.SampleCount * rate / Math.Max(1, format.SampleRate) + 1024), rate);
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or ArgumentException)
            {
                throw new EdgeException(EdgeErrorCode.InvalidInput, $"{path}: the samples cannot be read ({e.Message.TrimEnd('.')}); the file is corrupt.", e);
            }
        }
    }

    // The header's fields are untrusted: NAudio reads blocks of BlockAlign bytes and trusts the rest, so a header
    // whose fields disagree is refused here rather than failing (or misreading) halfway through the samples.
    private static void CheckFormat(WaveFormat f, string path)
    {
        bool pcm = f.Encoding == WaveFormatEncoding.Pcm || f.Encoding == WaveFormatEncoding.Extensible;
        bool ieee = f.Encoding == WaveFormatEncoding.IeeeFloat;
        string? problem =
            f.Channels is < 1 or > MaxChannels ? $"{f.Channels} channels (1..{MaxChannels} are read)"
            : f.SampleRate is < 1000 or > 384_000 ? $"a sample rate of {f.SampleRate} Hz (1000..384000 are read)"
            : pcm && f.BitsPerSample is not (8 or 16 or 24 or 32) ? $"{f.BitsPerSample}-bit PCM (8, 16, 24 or 32 are read)"
            : ieee && f.BitsPerSample is not (32 or 64) ? $"{f.BitsPerSample}-bit float (32 or 64 are read)"
            : (pcm || ieee) && f.BlockAlign != f.Channels * f.BitsPerSample / 8
                ? $"a block align of {f.BlockAlign} bytes where {f.Channels} channels of {f.BitsPerSample} bits take {f.Channels * f.BitsPerSample / 8}"
            : null;
        if (problem is not null)
            throw new EdgeException(EdgeErrorCode.InvalidInput, $"{path}: the WAV header declares {problem}; the file is corrupt or not a plain PCM/float WAV.");
    }

    private const int MaxChannels = 64;

    private static float[] ReadAll(ISampleProvider source, long expected)
    {
        var buffer = new float[Math.Clamp(expected, 1024, int.MaxValue / 2)];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length) Array.Resize(ref buffer, checked(buffer.Length * 2));
            int n = source.Read(buffer.AsSpan(filled));
            if (n == 0) break;
            filled += n;
        }
        Array.Resize(ref buffer, filled);
        return buffer;
    }
}
