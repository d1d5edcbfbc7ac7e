namespace Edge.Speech.Cloning;

/// <summary>What <see cref="VoiceCloner.Clone"/> made.</summary>
/// <param name="VoicePath">The voice file written (full-rank initial state bound to the model's sha256).</param>
/// <param name="ClipSeconds">The clip's whole length.</param>
/// <param name="PromptSeconds">The speech the decoder read (trimmed, and cut at <see cref="VoiceClonerOptions.MaxPrompt"/>).</param>
/// <param name="Frames">Codec frames teacher-forced through the decoder.</param>
/// <param name="Transcript">The transcript as the decoder read it (normalised, cut with the clip); empty when none was given.</param>
/// <param name="VoiceBytes">The voice file's size: fixed by the model, whatever the clip.</param>
/// <param name="AllocatedBytesPerFrame">Bytes allocated per frame by the decoder's teacher-forced steps, counted from the second frame on (0).</param>
public sealed record VoiceCloneResult(string VoicePath, double ClipSeconds, double PromptSeconds, int Frames, string Transcript, long VoiceBytes, double AllocatedBytesPerFrame);
