using System.Runtime.CompilerServices;
using Edge.Families.Gla;
using Edge.Packages;
using Edge.Speech.Codecs;
using Edge.Streams;

namespace Edge.Speech.Synthesis;

/// <summary>
/// Text to speech with a gla-tts model and a speech codec: text in, audio out in chunks as the model samples
/// its codes. Loaded once and shared: any number of threads synthesize at once, each through its own
/// <see cref="SpeechStream"/> (<see cref="CreateStream"/>), and the same text and seed give the same audio on
/// any of them.
/// </summary>
public sealed class SpeechSynthesizer : IDisposable
{
    /// <summary>The voice a package speaks with when none is given, relative to its voices folder.</summary>
    public const string DefaultVoiceFile = "default.safetensors";

    // Spoken once at load (SpeechSynthesizerOptions.WarmUpSteps); skipped for a tokenizer that cannot spell it.
    private const string WarmUpText = "the weather is nice today.";

    private readonly GlaTokenizer _tokenizer;
    private readonly bool _ownsModel;
    private readonly string? _tempVoice;

    /// <summary>
    /// A synthesizer over <paramref name="model"/> (a gla-tts model on the CPU backend) and <paramref name="codec"/>
    /// (its codebooks must be the model's: as many quantizers, as many codes each). The caller keeps owning both.
    /// </summary>
    public SpeechSynthesizer(EdgeModel model, ISpeechCodec codec, SpeechSynthesizerOptions? options = null)
        : this(model, codec, options, ownsModel: false)
    {
    }

    private SpeechSynthesizer(EdgeModel model, ISpeechCodec codec, SpeechSynthesizerOptions? options, bool ownsModel)
    {
        Options = options ?? new SpeechSynthesizerOptions();
        (var gla, _tokenizer) = SpeechModelCheck.Check(model, codec, "speech", "a SpeechSynthesizer needs");
        var c = gla.Config;
        Fail.If(Options.MaxStepsPerSentence < 1, EdgeErrorCode.InvalidArgument, $"speech: MaxStepsPerSentence is {Options.MaxStepsPerSentence}; it must be at least 1.");
        Fail.If(Options.MaxStepsPerCharacter < 0, EdgeErrorCode.InvalidArgument, $"speech: MaxStepsPerCharacter is {Options.MaxStepsPerCharacter}; it must be 0 (off) or more.");
        Fail.If(Options.SentencePause < TimeSpan.Zero || Options.SentencePause > TimeSpan.FromSeconds(10), EdgeErrorCode.InvalidArgument,
            $"speech: SentencePause is {Options.SentencePause.TotalSeconds} s; it must be between 0 and 10 s.");
        Fail.If(Options.WarmUpSteps < 0, EdgeErrorCode.InvalidArgument, $"speech: WarmUpSteps is {Options.WarmUpSteps}; it must be 0 (off) or more.");
        Fail.If(Options.MaxTextCharacters < 1, EdgeErrorCode.InvalidArgument, $"speech: MaxTextCharacters is {Options.MaxTextCharacters}; it must be at least 1.");
        Model = model;
        Codec = codec;
        _ownsModel = ownsModel;
        (Voice, _tempVoice) = ResolveVoice(model.Package, Options.Voice);
        try
        {
            // A voice that does not fit the model fails here, once, not in the first request.
            using var probe = CreateStream();
            if (Options.WarmUpSteps > 0 && _tokenizer.IndexOfUnknown(WarmUpText) < 0) probe.WarmUp(WarmUpText, Options.WarmUpSteps);
        }
        catch
        {
            DeleteTempVoice();
            throw;
        }
    }

    /// <summary>The gla-tts model.</summary>
    public EdgeModel Model { get; }

    /// <summary>The codec that turns the model's codes into audio.</summary>
    public ISpeechCodec Codec { get; }

    /// <summary>Options this synthesizer was made with.</summary>
    public SpeechSynthesizerOptions Options { get; }

    /// <summary>Samples per second of the audio (the codec's rate, mono).</summary>
    public int SampleRate => Codec.SampleRate;

    /// <summary>The voice file every stream starts from unless it names its own; null for the zero initial state.</summary>
    public string? Voice { get; }

    /// <summary>
    /// Opens a voice package (a gla-tts model whose model.json names its <c>codec</c> folder, read by
    /// <see cref="SpeechCodecs.Load(ModelPackage)"/>) and makes a synthesizer that owns the model.
    /// </summary>
    public static SpeechSynthesizer Load(string package, SpeechSynthesizerOptions? options = null, EdgeModelOptions? modelOptions = null)
    {
        var model = EdgeModel.Load(package, modelOptions);
        try
        {
            return new SpeechSynthesizer(model, SpeechCodecs.Load(model.Package), options, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks and prepares a text as a synthesis would (lower-cased, white space collapsed, split into sentences).
    /// Empty text, text over <see cref="SpeechSynthesizerOptions.MaxTextCharacters"/> and characters the model's
    /// tokenizer cannot spell are <see cref="EdgeException"/>s (<see cref="EdgeErrorCode.InvalidInput"/>) naming the
    /// problem and, for a character, its position in <paramref name="text"/>.
    /// </summary>
    public SpeechText Prepare(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Fail.If(text.Length > Options.MaxTextCharacters, EdgeErrorCode.InvalidInput,
            $"text: {text.Length} characters is over the limit of {Options.MaxTextCharacters} for one synthesis (SpeechSynthesizerOptions.MaxTextCharacters); split it into several, or raise the limit.");
        var speech = SpeechText.Prepare(text, Options.MaxSentenceCharacters);
        Fail.If(speech.Normalized.Length == 0, EdgeErrorCode.InvalidInput, "text: there is nothing to say (the text is empty or only white space); give the words to speak.");
        int bad = _tokenizer.IndexOfUnknown(speech.Normalized);
        if (bad >= 0)
        {
            int at = speech.OriginalIndex(bad);
            char ch = text[at];
            string shown = char.IsControl(ch) ? $"U+{(int)ch:X4}" : $"'{ch}' (U+{(int)ch:X4})";
            Fail.With(EdgeErrorCode.InvalidInput,
                $"text: character {shown} at position {at} is not in the tokenizer's vocabulary ({Model.Package.Path}). Rewrite it with the characters the model knows: spell out digits and symbols, replace accented letters.");
        }
        return speech;
    }

    /// <summary>A new stream with its own state, starting from <paramref name="voice"/> (a voice file) or, when null, <see cref="Voice"/>.</summary>
    public SpeechStream CreateStream(string? voice = null)
    {
        if (voice is not null) Fail.If(!File.Exists(voice), EdgeErrorCode.FileNotFound, $"speech: voice file '{MessageText.Value(voice, 200)}' does not exist.");
        return new SpeechStream(this, voice ?? Voice);
    }

    /// <summary>Speaks <paramref name="text"/> into <paramref name="sink"/> chunk by chunk on the calling thread, and returns the figures.</summary>
    public SpeechMetrics Synthesize(string text, IAudioSink sink, int seed = 0, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var stream = CreateStream();
        stream.Begin(text, seed);
        var buffer = new float[stream.MaxChunkSamples];
        int n;
        while ((n = stream.Read(buffer, cancellation)) > 0) sink.Write(buffer.AsSpan(0, n));
        return stream.Metrics;
    }

    /// <summary>Speaks <paramref name="text"/> and returns the whole clip.</summary>
    public float[] SynthesizeToArray(string text, int seed = 0, CancellationToken cancellation = default)
    {
        var sink = new ArraySink();
        Synthesize(text, sink, seed, cancellation);
        return [.. sink.Samples];
    }

    /// <summary>
    /// The audio chunks of <paramref name="text"/> as they are made, each computed on the thread pool. A chunk is
    /// valid until the next one is requested (the buffer is reused): copy what you keep.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<float>> SynthesizeAsync(string text, int seed = 0, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var stream = CreateStream();
        stream.Begin(text, seed);
        var buffer = new float[stream.MaxChunkSamples];
        while (true)
        {
            int n = await Task.Run(() => stream.Read(buffer, cancellation), cancellation).ConfigureAwait(false);
            if (n == 0) yield break;
            yield return buffer.AsMemory(0, n);
        }
    }

    /// <summary>Releases the model when this synthesizer loaded it (<see cref="Load"/>), and any voice it unpacked.</summary>
    public void Dispose()
    {
        if (_ownsModel) Model.Dispose();
        DeleteTempVoice();
    }

    private void DeleteTempVoice()
    {
        if (_tempVoice is not null) File.Delete(_tempVoice);
    }

    // The voice's path, and a temporary copy to delete when the package is a zip (voices load from files).
    internal static (string? Voice, string? Temp) ResolveVoice(ModelPackage package, string? voice)
    {
        if (voice is not null)
        {
            Fail.If(!File.Exists(voice), EdgeErrorCode.FileNotFound, $"speech: voice file '{MessageText.Value(voice, 200)}' does not exist (SpeechSynthesizerOptions.Voice).");
            return (voice, null);
        }
        string folder = package.GetFileName("voices") ?? "voices";
        string relative = folder.TrimEnd('/') + "/" + DefaultVoiceFile;
        if (!package.HasFile(relative)) return (null, null);
        if (package.TryGetFilePath(relative) is { } onDisk) return (onDisk, null);
        string temp = Path.Combine(Path.GetTempPath(), $"edge-voice-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(temp, package.ReadAllBytes(relative));
        return (temp, temp);
    }

    private sealed class ArraySink : IAudioSink
    {
        public List<float> Samples { get; } = [];

        public void Write(ReadOnlySpan<float> samples) => Samples.AddRange(samples);
    }
}
