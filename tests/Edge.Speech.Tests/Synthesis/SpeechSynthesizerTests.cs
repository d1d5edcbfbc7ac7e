using Edge.Speech.Synthesis;

namespace Edge.Speech.Tests.Synthesis;

public class SpeechSynthesizerTests
{
    private const string Text = "the weather is nice today. is it? yes, it is!";

    [Fact]
    public void Chunks_read_one_by_one_concatenate_to_the_whole_synthesis()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        var whole = synth.SynthesizeToArray(Text, seed: 3);

        using var stream = synth.CreateStream();
        stream.Begin(Text, seed: 3);
        var buffer = new float[stream.MaxChunkSamples];
        var chunks = new List<float[]>();
        int n;
        while ((n = stream.Read(buffer)) > 0) chunks.Add(buffer[..n]);
        Assert.Equal(whole, chunks.SelectMany(c => c));
        Assert.True(chunks.Count > 10, $"only {chunks.Count} chunks: the audio should stream");
        Assert.Equal(3, stream.Metrics.Sentences);
        Assert.Equal(whole.Length, stream.Metrics.Samples);
        Assert.Equal(whole.Length / 16000.0, stream.Metrics.AudioSeconds, 9);
        // One frame per token; the decoder's Finish adds its look-ahead and window tail per sentence.
        int pauses = 2 * 4000;   // 0.25 s between the three sentences
        Assert.True(stream.Metrics.Tokens >= (whole.Length - pauses) / synth.Codec.SamplesPerFrame - 3 * (synth.Codec.LookaheadFrames + 2));
    }

    [Fact]
    public async Task The_async_stream_gives_the_same_chunks()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        var whole = synth.SynthesizeToArray(Text, seed: 5);
        var got = new List<float>();
        await foreach (var chunk in synth.SynthesizeAsync(Text, seed: 5)) got.AddRange(chunk.ToArray());
        Assert.Equal(whole, got);
    }

    [Fact]
    public void Sentences_are_drawn_on_their_own_and_a_pause_goes_between_them()
    {
        using var model = TinyVoice.Load();
        using var paused = TinyVoice.Synthesizer(model);
        using var joined = TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { MaxStepsPerSentence = 60, SentencePause = TimeSpan.Zero });
        var withPauses = paused.SynthesizeToArray(Text, seed: 8);
        var without = joined.SynthesizeToArray(Text, seed: 8);
        Assert.Equal(without.Length + 2 * 4000, withPauses.Length);   // 0.25 s at 16 kHz, twice

        // The first sentence alone is the start of the whole; the pause follows it.
        var first = joined.SynthesizeToArray("the weather is nice today.", seed: 8);
        Assert.Equal(first, withPauses[..first.Length]);
        Assert.All(withPauses[first.Length..(first.Length + 4000)], x => Assert.Equal(0f, x));
    }

    [Fact]
    public void The_warm_up_at_load_leaves_no_trace_in_the_audio()
    {
        // The warm-up sentence runs on a scratch stream of its own: with it, without it, or with a longer one,
        // the same text and seed give the same samples.
        using var model = TinyVoice.Load();
        using var cold = TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { WarmUpSteps = 0 });
        using var warm = TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { WarmUpSteps = 8 });
        using var longer = TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { WarmUpSteps = 200 });
        var expected = cold.SynthesizeToArray(Text, seed: 6);
        Assert.Equal(expected, warm.SynthesizeToArray(Text, seed: 6));
        Assert.Equal(expected, longer.SynthesizeToArray(Text, seed: 6));
        Assert.Throws<EdgeException>(() => TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { WarmUpSteps = -1 }));
    }

    [Fact]
    public void A_seed_fixes_the_audio_and_another_seed_changes_it()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        var a = synth.SynthesizeToArray(Text, seed: 1);
        var b = synth.SynthesizeToArray(Text, seed: 1);
        var c = synth.SynthesizeToArray(Text, seed: 2);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Concurrent_streams_give_the_audio_of_serial_runs()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        string[] texts = ["one small sentence.", Text, "another voice, another day.", "hello there!"];
        var serial = texts.Select((t, i) => synth.SynthesizeToArray(t, seed: i)).ToArray();
        var parallel = new float[texts.Length][];
        var threads = Enumerable.Range(0, texts.Length).Select(i => new Thread(() =>
        {
            for (int r = 0; r < 3; r++) parallel[i] = synth.SynthesizeToArray(texts[i], seed: i);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        for (int i = 0; i < texts.Length; i++) Assert.Equal(serial[i], parallel[i]);
    }

    [Fact]
    public void Cancelling_stops_at_the_next_token()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        using var stream = synth.CreateStream();
        using var cts = new CancellationTokenSource();
        stream.Begin(Text);
        var buffer = new float[stream.MaxChunkSamples];
        Assert.True(stream.Read(buffer, cts.Token) > 0);
        long tokens = stream.Metrics.Tokens;
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => stream.Read(buffer, cts.Token));
        Assert.Equal(tokens, stream.Metrics.Tokens);

        // The stream is free for the next text, and a cancelled sink stops Synthesize within one chunk.
        var sink = new CancellingSink(cts2 => cts2.Cancel());
        Assert.Throws<OperationCanceledException>(() => synth.Synthesize(Text, sink, 0, sink.Token));
        Assert.Equal(1, sink.Chunks);
    }

    [Fact]
    public void The_token_loop_allocates_nothing_after_warm_up()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { MaxStepsPerSentence = 400, MaxStepsPerCharacter = 0 });
        using var stream = synth.CreateStream();
        var buffer = new float[stream.MaxChunkSamples];
        stream.Begin("a warm up sentence.", 9);
        while (stream.Read(buffer) > 0) { }

        stream.Begin("one long sentence for the count.", 4);
        var allocated = new long[1000];
        int chunks = 0;
        while (true)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int n = stream.Read(buffer);
            allocated[chunks] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (n == 0) break;
            chunks++;
        }
        // Every chunk but the first (the sentence's text is encoded then) and the last (the decoder's tail): step, sample, decode.
        Assert.True(chunks > 20, $"{chunks} chunks");
        Assert.All(allocated[1..(chunks - 1)], a => Assert.Equal(0, a));
        Assert.Equal(0, stream.Metrics.AllocatedBytesPerToken);
        Assert.True(stream.Metrics.Tokens >= chunks - 1);
    }

    [Fact]
    public void Step_limits_cut_a_sentence_and_are_counted()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { MaxStepsPerSentence = 1000, MaxStepsPerCharacter = 2 });
        using var stream = synth.CreateStream();
        stream.Begin("hi.");   // 50 + 2·3 frames at most
        var buffer = new float[stream.MaxChunkSamples];
        long samples = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0) samples += n;
        Assert.InRange(stream.Metrics.Tokens, 1, 56);
        Assert.InRange(samples, 1, 56 * synth.Codec.SamplesPerFrame + synth.Codec.SamplesPerFrame * (synth.Codec.LookaheadFrames + 2));
        Assert.Equal(stream.Metrics.SentencesAtStepLimit == 1, stream.Metrics.Tokens == 56);
    }

    [Fact]
    public void The_default_voice_another_voice_and_the_zero_state_sound_different()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        Assert.EndsWith(Path.Combine("voices", "default.safetensors"), synth.Voice);
        var byDefault = synth.SynthesizeToArray(Text, 1);
        using var other = TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { MaxStepsPerSentence = 60, Voice = Path.Combine(TinyVoice.Package, "voices", "other.safetensors") });
        var otherVoice = other.SynthesizeToArray(Text, 1);
        Assert.NotEqual(byDefault, otherVoice);

        using var stream = synth.CreateStream(Path.Combine(TinyVoice.Package, "voices", "other.safetensors"));
        stream.Begin(Text, 1);
        var buffer = new float[stream.MaxChunkSamples];
        var got = new List<float>();
        int n;
        while ((n = stream.Read(buffer)) > 0) got.AddRange(buffer[..n]);
        Assert.Equal(otherVoice, got);

        var missing = Assert.Throws<EdgeException>(() => TinyVoice.Synthesizer(model, new SpeechSynthesizerOptions { Voice = "no-such-voice.safetensors" }));
        Assert.Equal(EdgeErrorCode.FileNotFound, missing.Code);
    }

    [Fact]
    public void A_zipped_package_speaks_as_its_folder_does_and_its_unpacked_voice_is_removed()
    {
        using var tmp = new TempFolder();
        string zip = tmp.File("tiny.zip");
        var builder = new ZipBuilder();
        foreach (string f in Directory.GetFiles(TinyVoice.Package, "*", SearchOption.AllDirectories))
            builder.Add(Path.GetRelativePath(TinyVoice.Package, f).Replace('\\', '/'), File.ReadAllBytes(f));
        builder.Write(zip);

        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        var fromFolder = synth.SynthesizeToArray(Text, 6);
        string? unpacked;
        using (var zipped = SpeechSynthesizer.Load(zip, new SpeechSynthesizerOptions { MaxStepsPerSentence = 60 }))
        {
            unpacked = zipped.Voice;
            Assert.True(File.Exists(unpacked));
            Assert.Equal(fromFolder, zipped.SynthesizeToArray(Text, 6));
        }
        Assert.False(File.Exists(unpacked));
    }

    [Fact]
    public void A_codec_of_another_shape_is_refused_with_the_sizes()
    {
        using var model = TinyVoice.Load();
        var e = Assert.Throws<EdgeException>(() => new SpeechSynthesizer(model, new OverlapAddCodec(codebookSize: 128)));
        Assert.Equal(EdgeErrorCode.ShapeMismatch, e.Code);
        Assert.Contains("1 codebook(s) of 128 codes", e.Message);
        Assert.Contains("predicts 1 of 256", e.Message);
    }

    [Theory]
    [InlineData("", "nothing to say")]
    [InlineData("  \n\t ", "nothing to say")]
    [InlineData("it costs 12 dollars.", "character '1' (U+0031) at position 9")]
    [InlineData("the  caf\u00e9 is open.", "character '\u00e9' (U+00E9) at position 8")]
    public void Bad_text_is_one_error_naming_what_is_wrong(string text, string expected)
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        var e = Assert.Throws<EdgeException>(() => synth.SynthesizeToArray(text));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Text_over_the_limit_is_refused_before_any_work()
    {
        using var model = TinyVoice.Load();
        using var synth = TinyVoice.Synthesizer(model);
        var e = Assert.Throws<EdgeException>(() => synth.Prepare(new string('a', 100_000)));
        Assert.Contains("100000 characters is over the limit of 20000", e.Message);
        Assert.Contains("MaxTextCharacters", e.Message);
    }

    private sealed class CancellingSink(Action<CancellationTokenSource> onFirst) : IAudioSink
    {
        private readonly CancellationTokenSource _cts = new();

        public CancellationToken Token => _cts.Token;

        public int Chunks { get; private set; }

        public void Write(ReadOnlySpan<float> samples)
        {
            if (Chunks++ == 0) onFirst(_cts);
        }
    }
}
