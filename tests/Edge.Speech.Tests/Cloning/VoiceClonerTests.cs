using System.Runtime.InteropServices;
using Edge.Formats.Safetensors;
using Edge.Speech.Cloning;
using Edge.Speech.Tests.Synthesis;
using Edge.Streams;

namespace Edge.Speech.Tests.Cloning;

/// <summary><see cref="VoiceCloner"/> on the tiny random-weight package (its real mel-vq codec): what it computes, its limits, its allocation.</summary>
public sealed class VoiceClonerTests : IDisposable
{
    private readonly TempFolder _work = new();
    private readonly EdgeModel _model = TinyVoice.Load();

    public void Dispose()
    {
        _model.Dispose();
        _work.Dispose();
    }

    // A voiced, speech-like clip: a 120 Hz buzz whose loudness and brightness change every 150 ms, between 0.2 s of silence either side.
    private static float[] Clip(double seconds, int rate = 16000)
    {
        int pad = rate / 5, n = (int)(seconds * rate);
        var x = new float[n + 2 * pad];
        var rng = new Random(3);
        double amp = 0.3, bright = 2;
        for (int i = 0; i < n; i++)
        {
            if (i % (rate * 15 / 100) == 0) { amp = 0.1 + 0.3 * rng.NextDouble(); bright = 1 + 6 * rng.NextDouble(); }
            double t = i / (double)rate, s = 0;
            for (int h = 1; h <= 8; h++) s += Math.Sin(2 * Math.PI * 120 * h * t) / Math.Pow(h, 3 / bright);
            x[pad + i] = (float)(amp * s / 3);
        }
        return x;
    }

    [Fact]
    public void The_voice_is_the_memory_the_decoder_reaches_over_the_clips_codes()
    {
        using var cloner = new VoiceCloner(_model, TinyVoice.Codec(_model));
        var clip = Clip(2.0);
        string voice = _work.File("v.safetensors");
        var r = cloner.Clone(clip, "the weather is nice today.", voice);

        // The same by hand: the speech's codes (the 0.2 s of silence either side trimmed to 50 ms), teacher forced after BOS from the default voice.
        var codec = TinyVoice.Codec(_model);
        var speech = clip.AsSpan(16000 / 5 - 800, 2 * 16000 + 1600);
        var encoder = codec.CreateEncoder()!;
        var codes = new int[encoder.FrameCount(speech.Length)];
        encoder.Encode(speech, codes);
        using var stream = _model.CreateStream();
        stream.GetFeature<IVoiceConditioning>()!.LoadVoice(Path.Combine(TinyVoice.Package, "voices", "default.safetensors"));
        stream.GetFeature<ITextConditioning>()!.SetText("the weather is nice today.");
        var logits = new float[_model.OutputSize];
        stream.Step([1f], logits);
        foreach (int c in codes) stream.Step([c + 3f], logits);
        string expected = _work.File("expected.safetensors");
        stream.GetFeature<IVoiceConditioning>()!.SaveVoice(expected);

        Assert.Equal(codes.Length, r.Frames);
        Assert.Equal(2.1, r.PromptSeconds, 3);
        Assert.Equal("the weather is nice today.", r.Transcript);
        using var a = SafetensorsFile.Open(voice, 1 << 24);
        using var b = SafetensorsFile.Open(expected, 1 << 24);
        foreach (var t in b.Tensors) Assert.Equal(b.ReadFloat32(t), a.ReadFloat32(a.Tensors.Single(x => x.Name == t.Name)));
        Assert.Equal(_model.Package.Sha256, a.Metadata["model_sha256"]);
    }

    [Fact]
    public void Any_clip_length_gives_a_voice_of_the_same_size_and_a_long_clip_is_cut_at_the_prompt_limit()
    {
        using var cloner = new VoiceCloner(_model, TinyVoice.Codec(_model));
        var shortVoice = cloner.Clone(Clip(1.0), "one two three four", _work.File("short.safetensors"));
        var longVoice = cloner.Clone(Clip(40.0), "one two three four five six seven eight nine ten", _work.File("long.safetensors"));
        Assert.Equal(shortVoice.VoiceBytes, longVoice.VoiceBytes);
        Assert.Equal(shortVoice.VoiceBytes, new FileInfo(longVoice.VoicePath).Length);
        Assert.Equal(cloner.Options.MaxPrompt.TotalSeconds, longVoice.PromptSeconds, 3);
        Assert.Equal(40.4, longVoice.ClipSeconds, 3);
        Assert.Equal(151, longVoice.Frames);                 // 3 s at 50 frames/s, + 1 (the centred STFT's last frame)
        Assert.Equal("one", longVoice.Transcript);           // 3 of 40.1 s of speech: the words in the first 7.5 % of the characters
    }

    [Fact]
    public void Reading_the_clip_allocates_nothing_per_frame_after_warm_up()
    {
        using var cloner = new VoiceCloner(_model, TinyVoice.Codec(_model));
        cloner.Clone(Clip(1.0), "warm up", _work.File("warm.safetensors"));
        var r = cloner.Clone(Clip(2.5), "the weather is nice today", _work.File("v.safetensors"));
        Assert.Equal(125 + 5 + 1, r.Frames);                 // 2.5 s and 50 ms kept either side, at 50 frames/s
        Assert.Equal(0, r.AllocatedBytesPerFrame);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.4)]
    public void A_clip_with_too_little_speech_is_refused_with_how_much_it_holds(double seconds)
    {
        using var cloner = new VoiceCloner(_model, TinyVoice.Codec(_model));
        var clip = Clip(seconds).AsSpan(16000 / 5 - 100, (int)(seconds * 16000) + 200).ToArray();
        var e = Assert.Throws<EdgeException>(() => cloner.Clone(clip, null, _work.File("v.safetensors")));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains($"holds {clip.Length / 16000.0:F2} s of speech", e.Message);
        Assert.Contains("a voice needs at least 0.5 s", e.Message);
        Assert.False(File.Exists(_work.File("v.safetensors")));
    }

    [Fact]
    public void Silence_and_an_unspellable_transcript_are_refused_before_anything_is_written()
    {
        using var cloner = new VoiceCloner(_model, TinyVoice.Codec(_model));
        var silence = Assert.Throws<EdgeException>(() => cloner.Clone(new float[32000], null, _work.File("v.safetensors")));
        Assert.Contains("holds 0.00 s of speech (2.00 s in all)", silence.Message);
        var digits = Assert.Throws<EdgeException>(() => cloner.Clone(Clip(1), "call me at 7", _work.File("v.safetensors")));
        Assert.Equal(EdgeErrorCode.InvalidInput, digits.Code);
        Assert.Contains("U+0037 at position 11", digits.Message);
        Assert.False(File.Exists(_work.File("v.safetensors")));
    }

    [Fact]
    public void A_cloned_voice_speaks_through_the_synthesizer_and_differs_from_the_default()
    {
        using var cloner = new VoiceCloner(_model, TinyVoice.Codec(_model));
        string voice = _work.File("v.safetensors");
        cloner.Clone(Clip(2.0), "hello there", voice);
        using var tts = TinyVoice.Synthesizer(_model);
        using var cloned = tts.CreateStream(voice);
        using var plain = tts.CreateStream();
        Assert.NotEqual(Speak(plain), Speak(cloned));
    }

    private static float[] Speak(Edge.Speech.Synthesis.SpeechStream s)
    {
        s.Begin("hello.", seed: 1);
        var buffer = new float[s.MaxChunkSamples];
        var all = new List<float>();
        int n;
        while ((n = s.Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return [.. all];
    }
}
