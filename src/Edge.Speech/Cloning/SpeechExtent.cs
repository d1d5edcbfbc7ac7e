namespace Edge.Speech.Cloning;

/// <summary>
/// Where the speech of a clip lies: from the first to the last 10 ms frame whose RMS is within 40 dB of the loudest
/// frame's (and above −80 dBFS), with 50 ms kept either side. Leading and trailing silence would otherwise fill the
/// decoder's memory with silence instead of the voice.
/// </summary>
internal static class SpeechExtent
{
    public static (int Start, int Length) Find(ReadOnlySpan<float> audio, int sampleRate)
    {
        int hop = Math.Max(1, sampleRate / 100), frames = audio.Length / hop;
        if (frames == 0) return (0, 0);
        double loudest = 0;
        for (int f = 0; f < frames; f++) loudest = Math.Max(loudest, Rms(audio.Slice(f * hop, hop)));
        double floor = Math.Max(loudest * 0.01, 1e-4);
        int first = -1, last = -1;
        for (int f = 0; f < frames; f++)
        {
            if (Rms(audio.Slice(f * hop, hop)) < floor) continue;
            if (first < 0) first = f;
            last = f;
        }
        if (first < 0) return (0, 0);
        int margin = 5 * hop;
        int start = Math.Max(0, first * hop - margin), end = Math.Min(audio.Length, (last + 1) * hop + margin);
        return (start, end - start);
    }

    private static double Rms(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += v * v;
        return Math.Sqrt(s / x.Length);
    }
}
