namespace Edge.Speech.Synthesis;

/// <summary>What one synthesis cost and made.</summary>
/// <param name="TimeToFirstAudio">From the start of the call (text preparation included) to the first samples handed out.</param>
/// <param name="Elapsed">The whole call.</param>
/// <param name="Tokens">Model steps run (one token each), over all sentences.</param>
/// <param name="Samples">Samples made, at <paramref name="SampleRate"/>.</param>
/// <param name="SampleRate">The codec's sample rate.</param>
/// <param name="Sentences">Sentences spoken.</param>
/// <param name="SentencesAtStepLimit">Sentences cut by a step limit instead of ending on the model's stop token.</param>
/// <param name="AllocatedBytesPerToken">
/// Managed bytes allocated on the calling thread inside the token loops (model step, sampler, codec decoder)
/// divided by the tokens, counted from the stream's first audio chunk on (before it, the JIT warms up).
/// </param>
public sealed record SpeechMetrics(
    TimeSpan TimeToFirstAudio,
    TimeSpan Elapsed,
    long Tokens,
    long Samples,
    int SampleRate,
    int Sentences,
    int SentencesAtStepLimit,
    double AllocatedBytesPerToken)
{
    /// <summary>Seconds of audio made.</summary>
    public double AudioSeconds => SampleRate == 0 ? 0 : (double)Samples / SampleRate;

    /// <summary>Seconds of computing per second of audio (below 1 is faster than real time).</summary>
    public double RealTimeFactor => Samples == 0 ? 0 : Elapsed.TotalSeconds / AudioSeconds;
}
