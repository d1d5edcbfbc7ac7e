namespace Edge.TestSupport.Speech;

/// <summary>espeak-ng as the test suite's speaker: a sentence to a 16 kHz mono 16-bit WAV, as make_data.py's synth().</summary>
public static class Espeak
{
    /// <summary>Speaks <paramref name="sentence"/> with <paramref name="voice"/> into <paramref name="wav"/> at <paramref name="sampleRate"/>.</summary>
    public static void Speak(string sentence, string wav, string voice = "en-us", int sampleRate = 16000)
    {
        ExternalProgram.Require("espeak-ng", "sox");
        string raw = wav + ".raw.wav";
        ExternalProgram.Run("espeak-ng", "-v", voice, "-w", raw, sentence);
        ExternalProgram.Run("sox", "-V1", raw, "-r", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "1", "-b", "16", wav);
        File.Delete(raw);
    }
}
