using Edge.Audio.Wav;

namespace Edge.TestSupport.Speech.Similarity;

/// <summary>
/// The speaker-similarity measure of the voice-cloning tests: mel-cepstral distortion after dynamic time warping
/// (MCD-DTW) between clips of the same sentences, plus the difference of median pitch by YIN. Both are textbook
/// measures with textbook settings, kept here in the test support so that nothing in the product is tuned to them.
/// </summary>
public static class SpeakerSimilarity
{
    /// <summary>The rate every clip is compared at (resampled by NAudio's WDL resampler when a WAV differs).</summary>
    public const int SampleRate = 16000;

    /// <summary>
    /// Compares two voices over the same sentences: <paramref name="a"/>[i] and <paramref name="b"/>[i] are
    /// WAV files of sentence i. MCD is the mean of the pairs' MCD-DTW; pitch medians pool every voiced frame.
    /// </summary>
    public static VoiceDistance CompareWavs(IReadOnlyList<string> a, IReadOnlyList<string> b)
        => Compare(a.Select(Read).ToList(), b.Select(Read).ToList());

    /// <summary>The same as <see cref="CompareWavs"/> on clips already at <see cref="SampleRate"/>.</summary>
    public static VoiceDistance Compare(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException($"compare the same sentences: {a.Count} clips against {b.Count}.");
        double mcd = 0;
        for (int i = 0; i < a.Count; i++) mcd += MelCepstralDistortionDb(a[i], b[i]);
        return new VoiceDistance(mcd / a.Count, MedianPitchHz(a), MedianPitchHz(b));
    }

    /// <summary>MCD-DTW of one pair of clips (speech frames only), in dB.</summary>
    public static double MelCepstralDistortionDb(float[] a, float[] b)
    {
        var fa = MelCepstrum.SpeechFrames(a, SampleRate);
        var fb = MelCepstrum.SpeechFrames(b, SampleRate);
        const double scale = 10 / 2.302585092994046;   // 10 / ln 10: natural-log cepstra to dB
        return DynamicTimeWarping.MeanAlignedDistance(fa, fb, (x, y) =>
        {
            double s = 0;
            for (int d = 0; d < x.Length; d++) s += (x[d] - y[d]) * (x[d] - y[d]);
            return scale * Math.Sqrt(2 * s);
        });
    }

    /// <summary>The median pitch of every voiced frame of the clips; NaN when none is voiced.</summary>
    public static double MedianPitchHz(IEnumerable<float[]> clips)
    {
        var all = clips.SelectMany(c => YinPitch.VoicedFrames(c, SampleRate)).Order().ToList();
        if (all.Count == 0) return double.NaN;
        return all.Count % 2 == 1 ? all[all.Count / 2] : 0.5 * (all[all.Count / 2 - 1] + all[all.Count / 2]);
    }

    private static float[] Read(string wav) => WavReader.ReadMono(wav, SampleRate).Samples;
}
