namespace Edge.Speech.Synthesis;

/// <summary>How a <see cref="SpeechSynthesizer"/> speaks: its voice, sampling and the limits that keep a run bounded.</summary>
public sealed record SpeechSynthesizerOptions
{
    /// <summary>
    /// A voice file (a gla-tts initial state: Lina's rank form or one Edge saved); null takes the package's
    /// <c>voices/default.safetensors</c> when it has one, else the zero initial state.
    /// </summary>
    public string? Voice { get; init; }

    /// <summary>
    /// Candidates kept when sampling the first codebook: 10, as the default voice is evaluated
    /// (models/tts-default/evaluate.py; Lina-Speech's own default is 100, for much larger models); 1 is greedy.
    /// </summary>
    public int TopK { get; init; } = 10;

    /// <summary>Softmax temperature of the draws (default 0.7, as the default voice is evaluated; Lina-Speech: 1); lower is steadier.</summary>
    public float Temperature { get; init; } = 0.7f;

    /// <summary>Most codec frames one sentence may take (1000 is 20 s at 50 frames/s); a sentence that reaches it is cut there.</summary>
    public int MaxStepsPerSentence { get; init; } = 1000;

    /// <summary>
    /// A second bound on a sentence's frames: 50 plus this many per character (speech runs at 3–6 frames per
    /// character at 50 frames/s), so a model that misses its stop token stops soon after the words; 0 turns it off.
    /// </summary>
    public int MaxStepsPerCharacter { get; init; } = 12;

    /// <summary>Silence put between two sentences (each sentence is generated on its own, so the model makes no pause across them).</summary>
    public TimeSpan SentencePause { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest sentence given to the model at once; longer ones are cut at a comma or a space below it.</summary>
    public int MaxSentenceCharacters { get; init; } = 150;

    /// <summary>Longest text one synthesis takes (20,000 characters is about 20 minutes of speech); longer text is refused before any work.</summary>
    public int MaxTextCharacters { get; init; } = 20_000;

    /// <summary>
    /// Frames of a short throwaway sentence that loading speaks on a scratch stream (0: none), so that every
    /// method of the path has been compiled before the first request. On the default voice in a fresh process
    /// it moves about 0.3 s of JIT from the first request into loading: the first sentence's first audio
    /// comes after about 60 ms instead of 420 ms, its real-time factor is about 0.21 instead of 0.37, and the
    /// process as a whole finishes sooner (docs/performance.md).
    /// </summary>
    public int WarmUpSteps { get; init; } = 8;
}
