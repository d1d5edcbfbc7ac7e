using System.Globalization;
using Edge;
using Edge.Samples.TtsVoiceCloning;

// tts-voice-cloning: clones a voice from a WAV without training, speaks three sentences with it, and says how close
// the cloned voice and the package's default voice are to the speaker.
// Usage: TtsVoiceCloning PKG REF.wav "TRANSCRIPT" OUT_DIR [SPEAKER-1.wav SPEAKER-2.wav SPEAKER-3.wav]
//        (the optional WAVs: the speaker saying CloningRun.Sentences, for the similarity figures)
var c = CultureInfo.InvariantCulture;
if (args.Length is not (4 or 7))
{
    Console.Error.WriteLine("usage: TtsVoiceCloning PKG REF.wav \"TRANSCRIPT\" OUT_DIR [SPEAKER-1.wav SPEAKER-2.wav SPEAKER-3.wav]");
    return 2;
}
try
{
    var r = CloningRun.Run(args[0], args[1], args[2], args[3], args.Length == 7 ? args[4..] : null);
    var v = r.Voice;
    Console.WriteLine(string.Create(c, $"cloned {v.VoicePath}: {v.PromptSeconds:F2} s of speech read ({v.ClipSeconds:F2} s clip, {v.Frames} frames), {v.VoiceBytes} bytes, {v.AllocatedBytesPerFrame:F0} bytes allocated per frame"));
    for (int i = 0; i < CloningRun.Sentences.Length; i++)
        Console.WriteLine($"  \"{CloningRun.Sentences[i]}\": {r.ClonedWavs[i]} (default voice: {r.DefaultWavs[i]})");
    if (r.Cloned is { } cloned && r.Default is { } plain)
    {
        Console.WriteLine("against the speaker's own recordings (mel-cepstral distortion after DTW, lower is closer; median pitch):");
        Console.WriteLine($"  cloned voice   {cloned}");
        Console.WriteLine($"  default voice  {plain}");
        Console.WriteLine(cloned.MelCepstralDistortionDb < plain.MelCepstralDistortionDb
            ? string.Create(c, $"the cloned voice is {plain.MelCepstralDistortionDb - cloned.MelCepstralDistortionDb:F2} dB closer to the speaker than the default voice")
            : string.Create(c, $"the cloned voice is not closer to the speaker than the default voice ({cloned.MelCepstralDistortionDb - plain.MelCepstralDistortionDb:F2} dB farther)"));
    }
    return 0;
}
catch (EdgeException e)
{
    Console.Error.WriteLine($"tts-voice-cloning: {e.Message}");
    return 2;
}
