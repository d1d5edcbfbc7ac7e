namespace Edge.Speech.Cloning;

/// <summary>How a <see cref="VoiceCloner"/> turns a reference clip into a voice.</summary>
public sealed record VoiceClonerOptions
{
    /// <summary>
    /// Most speech (after the leading and trailing silence is trimmed) the decoder is run over; a longer clip is cut
    /// there, and its transcript cut in proportion at a word. 3 s measured closer to the speaker than the whole of a
    /// 4.8 s clip (models/tts-default/README.md, "Voice cloning"): the memory then ends inside a sentence, not at its end.
    /// </summary>
    public TimeSpan MaxPrompt { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Least speech a clip must hold, after trimming; a shorter one is refused (it says almost nothing about a voice).</summary>
    public TimeSpan MinSpeech { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Where the decoder starts before it reads the clip: a voice file, or null for the package's default voice
    /// (<c>voices/default.safetensors</c>) when it has one, else the zero state.
    /// </summary>
    public string? StartVoice { get; init; }

    /// <summary>Frames at the end of the prompt dropped before the state is taken (the model's end-of-utterance context); 0 keeps every frame.</summary>
    public int DropFinalFrames { get; init; }
}
