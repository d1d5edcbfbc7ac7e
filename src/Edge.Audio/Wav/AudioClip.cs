namespace Edge.Audio.Wav;

/// <summary>Mono audio in memory: float samples in [-1, 1] at a sample rate.</summary>
/// <param name="Samples">The samples, one channel.</param>
/// <param name="SampleRate">Samples per second.</param>
public sealed record AudioClip(float[] Samples, int SampleRate)
{
    /// <summary>The clip's length in time.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Samples.Length / (double)SampleRate);
}
