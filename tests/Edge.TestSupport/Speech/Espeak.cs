namespace Edge.TestSupport.Speech;

/// <summary>espeak-ng as the test suite's speaker: a sentence to a 16 kHz mono 16-bit WAV, as make_data.py's synth() but without dither (sox -D), so a run repeats exactly.</summary>
public static class Espeak
{
    /// <summary>
    /// Speaks <paramref name="sentence"/> with <paramref name="voice"/> into <paramref name="wav"/> at <paramref name="sampleRate"/>,
    /// at espeak's default pace (175 words per minute) unless <paramref name="wordsPerMinute"/> is given.
    /// </summary>
    public static void Speak(string sentence, string wav, string voice = "en-us", int sampleRate = 16000, int? wordsPerMinute = null)
    {
        ExternalProgram.Require("espeak-ng", "sox");
        string raw = wav + ".raw.wav";
        string[] speed = wordsPerMinute is { } s ? ["-s", s.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        ExternalProgram.Run("espeak-ng", ["-v", voice, .. speed, "-w", raw, sentence]);
        ExternalProgram.Run("sox", "-V1", "-D", raw, "-r", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "1", "-b", "16", wav);
        File.Delete(raw);
    }
}
