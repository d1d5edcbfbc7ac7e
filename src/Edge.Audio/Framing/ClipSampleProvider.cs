using NAudio.Wave;

namespace Edge.Audio.Framing;

/// <summary>Plays a mono float array as an NAudio sample provider (for framing a clip already in memory).</summary>
public sealed class ClipSampleProvider : ISampleProvider
{
    private readonly float[] _samples;
    private int _position;

    /// <summary>Wraps <paramref name="samples"/> (not copied; do not change it while reading) at <paramref name="sampleRate"/>.</summary>
    public ClipSampleProvider(float[] samples, int sampleRate)
    {
        _samples = samples;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);
    }

    /// <inheritdoc />
    public WaveFormat WaveFormat { get; }

    /// <inheritdoc />
    public int Read(Span<float> buffer)
    {
        int n = Math.Min(buffer.Length, _samples.Length - _position);
        _samples.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
