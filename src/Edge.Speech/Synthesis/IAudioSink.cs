namespace Edge.Speech.Synthesis;

/// <summary>Where synthesized audio goes as it is made (a WAV file, a sound device, a network stream).</summary>
public interface IAudioSink
{
    /// <summary>Takes the next samples (mono, the codec's rate, nominally in [−1, 1]); the span is valid only during the call.</summary>
    void Write(ReadOnlySpan<float> samples);
}
