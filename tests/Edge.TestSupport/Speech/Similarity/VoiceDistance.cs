namespace Edge.TestSupport.Speech.Similarity;

/// <summary>How far one voice is from another over the same sentences.</summary>
/// <param name="MelCepstralDistortionDb">
/// Mean mel-cepstral distortion (Kubichek 1993) along the DTW alignment of each pair of clips, averaged over the pairs:
/// (10 / ln 10) · √(2 Σ_{d=1..13} (c_d − c'_d)²) dB. Smaller is more alike; it is the measure that ranks voices.
/// </param>
/// <param name="MedianPitchHzA">Median pitch of the first voice's voiced frames, all clips pooled.</param>
/// <param name="MedianPitchHzB">Median pitch of the second voice's voiced frames.</param>
public sealed record VoiceDistance(double MelCepstralDistortionDb, double MedianPitchHzA, double MedianPitchHzB)
{
    /// <summary>|12 · log2(A / B)|: how far apart the two median pitches are, in semitones.</summary>
    public double PitchDifferenceSemitones => Math.Abs(12 * Math.Log2(MedianPitchHzA / MedianPitchHzB));

    /// <inheritdoc />
    public override string ToString()
        => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"MCD {MelCepstralDistortionDb:F2} dB, median pitch {MedianPitchHzA:F0} vs {MedianPitchHzB:F0} Hz ({PitchDifferenceSemitones:F1} semitones)");
}
