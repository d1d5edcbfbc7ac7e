namespace Edge.TestSupport.Speech;

/// <summary>
/// The intelligibility judge (models/tts-default/recognize.py in C#): Debian's pocketsphinx with its en-us model,
/// constrained by a JSGF grammar of tests/fixtures/speech/sentences.txt. A clip counts when the recognizer returns
/// its sentence exactly.
/// </summary>
public sealed class SpeechJudge : IDisposable
{
    private readonly TempFolder _work = new();
    private readonly string _grammar;
    private int _clips;

    public SpeechJudge()
    {
        ExternalProgram.Require("sox", "pocketsphinx_continuous");
        Sentences = File.ReadAllLines(RepoPaths.Fixtures("speech", "sentences.txt")).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        _grammar = _work.File("sentences.gram");
        File.WriteAllText(_grammar, "#JSGF V1.0;\ngrammar sentences;\npublic <s> = " + string.Join(" | ", Sentences) + " ;\n");
    }

    /// <summary>The candidate sentences, in file order.</summary>
    public IReadOnlyList<string> Sentences { get; }

    /// <summary>
    /// What the recognizer hears in a WAV: converted to 16 kHz mono 16-bit, leading silence trimmed, 0.3 s of
    /// padding each side, then decoded with wide beams; the hypothesis with whitespace collapsed.
    /// </summary>
    public string Recognize(string wav)
    {
        string prepared = _work.File($"in-{_clips++}.wav");
        ExternalProgram.Run("sox", "-V1", wav, "-r", "16000", "-c", "1", "-b", "16", prepared, "silence", "1", "0.02", "0.5%", "pad", "0.3", "0.3");
        string output = ExternalProgram.Run("pocketsphinx_continuous", "-infile", prepared, "-jsgf", _grammar,
            "-beam", "1e-80", "-wbeam", "1e-60", "-pbeam", "1e-80", "-logfn", "/dev/null");
        return string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    public void Dispose() => _work.Dispose();
}
