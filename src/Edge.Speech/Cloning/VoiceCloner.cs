using Edge.Audio.Wav;
using Edge.Families.Gla;
using Edge.Speech.Codecs;
using Edge.Speech.Synthesis;
using Edge.Streams;

namespace Edge.Speech.Cloning;

/// <summary>
/// Prompt-continuation voice cloning without training: a reference clip is encoded with the package's codec, the
/// decoder is run teacher-forced over its codes (with the clip's transcript as its text), and the recurrent memory
/// it reached is saved as a voice file: a fixed-size initial state bound to the model, which any
/// <see cref="SpeechSynthesizer"/> over the same model speaks with. Shared by threads: each <see cref="Clone"/> runs
/// on its own stream and encoder.
/// </summary>
public sealed class VoiceCloner : IDisposable
{
    private const int Bos = GlaTokenizer.Bos, Special = GlaConfig.SpecialTokens;
    private readonly bool _ownsModel;
    private readonly string? _startVoice, _tempVoice;
    private readonly GlaTokenizer _tokenizer;

    /// <summary>A cloner over <paramref name="model"/> (gla-tts, CPU backend) and <paramref name="codec"/> (it must have an encoder). The caller keeps owning both.</summary>
    public VoiceCloner(EdgeModel model, ISpeechCodec codec, VoiceClonerOptions? options = null)
        : this(model, codec, options, ownsModel: false)
    {
    }

    private VoiceCloner(EdgeModel model, ISpeechCodec codec, VoiceClonerOptions? options, bool ownsModel)
    {
        Options = options ?? new VoiceClonerOptions();
        (_, _tokenizer) = SpeechModelCheck.Check(model, codec, "clone", "cloning needs");
        Fail.If(codec.CreateEncoder() is null, EdgeErrorCode.UnsupportedFamily,
            $"clone: the {codec.Kind} codec of {model.Package.Path} only decodes; cloning from a clip needs a codec with an encoder (mel-vq).");
        Fail.If(Options.MaxPrompt <= TimeSpan.Zero || Options.MinSpeech < TimeSpan.Zero || Options.MinSpeech > Options.MaxPrompt, EdgeErrorCode.InvalidArgument,
            $"clone: VoiceClonerOptions.MaxPrompt ({Options.MaxPrompt.TotalSeconds} s) must be positive and at least MinSpeech ({Options.MinSpeech.TotalSeconds} s).");
        Fail.If(Options.DropFinalFrames < 0, EdgeErrorCode.InvalidArgument, $"clone: VoiceClonerOptions.DropFinalFrames is {Options.DropFinalFrames}; it must be 0 or more.");
        Model = model;
        Codec = codec;
        _ownsModel = ownsModel;
        (_startVoice, _tempVoice) = SpeechSynthesizer.ResolveVoice(model.Package, Options.StartVoice);
    }

    /// <summary>The gla-tts model whose voices this cloner makes.</summary>
    public EdgeModel Model { get; }

    /// <summary>The codec that turns a clip into the model's codes.</summary>
    public ISpeechCodec Codec { get; }

    /// <summary>Options this cloner was made with.</summary>
    public VoiceClonerOptions Options { get; }

    /// <summary>Samples per second <see cref="Clone"/> expects (the codec's rate); <see cref="CloneWav"/> resamples to it.</summary>
    public int SampleRate => Codec.SampleRate;

    /// <summary>Opens a voice package (gla-tts with a <c>codec</c> folder) and makes a cloner that owns the model.</summary>
    public static VoiceCloner Load(string package, VoiceClonerOptions? options = null, EdgeModelOptions? modelOptions = null)
    {
        var model = EdgeModel.Load(package, modelOptions);
        try
        {
            return new VoiceCloner(model, SpeechCodecs.Load(model.Package), options, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Clones the voice of a WAV file (PCM or float, any rate, any channel count: mixed to mono and resampled to
    /// <see cref="SampleRate"/> by NAudio) into <paramref name="voicePath"/>. A file that is not a readable WAV is an
    /// <see cref="EdgeException"/> with <see cref="EdgeErrorCode.InvalidInput"/>.
    /// </summary>
    public VoiceCloneResult CloneWav(string wav, string? transcript, string voicePath)
        => CloneFrom(WavReader.ReadMono(wav, SampleRate).Samples, transcript, voicePath, wav);

    /// <summary>
    /// Clones the voice of <paramref name="audio"/> (mono, at <see cref="SampleRate"/>) spoken as
    /// <paramref name="transcript"/> (null or empty when unknown: the decoder then reads the clip against an empty
    /// text, which makes a weaker voice) into <paramref name="voicePath"/>.
    /// </summary>
    public VoiceCloneResult Clone(ReadOnlySpan<float> audio, string? transcript, string voicePath) => CloneFrom(audio, transcript, voicePath, "the clip");

    private VoiceCloneResult CloneFrom(ReadOnlySpan<float> audio, string? transcript, string voicePath, string what)
    {
        ArgumentNullException.ThrowIfNull(voicePath);
        string text = Transcript(transcript);
        var (start, length) = SpeechExtent.Find(audio, SampleRate);
        double speech = length / (double)SampleRate;
        if (speech < Options.MinSpeech.TotalSeconds)
            Fail.With(EdgeErrorCode.InvalidInput,
                $"clone: {MessageText.Value(what, 200)} holds {speech:F2} s of speech ({audio.Length / (double)SampleRate:F2} s in all); a voice needs at least {Options.MinSpeech.TotalSeconds:F1} s (3-10 s of one speaker is best).");
        int most = (int)Math.Min(int.MaxValue, Math.Round(Options.MaxPrompt.TotalSeconds * SampleRate));
        if (length > most)
        {
            text = CutTranscript(text, most / (double)length);
            length = most;
        }
        var prompt = audio.Slice(start, length);
        var encoder = Codec.CreateEncoder()!;
        int frames = encoder.FrameCount(prompt.Length);
        var codes = new int[frames * Codec.Quantizers];
        using var stream = Model.CreateStream();
        if (_startVoice is not null) stream.GetFeature<IVoiceConditioning>()!.LoadVoice(_startVoice);
        stream.GetFeature<ITextConditioning>()!.SetText(text);
        int q = Codec.Quantizers, fed = Math.Max(1, frames - Options.DropFinalFrames);
        var input = new float[q];
        var logits = new float[Model.OutputSize];

        encoder.Encode(prompt, codes);
        input.AsSpan().Fill(Bos);
        stream.Step(input, logits);
        // Counted from the second frame on, as SpeechMetrics counts tokens: the first step of a process runs the JIT's
        // first pass (the encoder's own allocation is tested apart, per frame, in the codec tests).
        long before = 0;
        for (int f = 0; f < fed; f++)
        {
            if (f == 1) before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < q; i++) input[i] = codes[f * q + i] + Special;
            stream.Step(input, logits);
        }
        long allocated = fed > 1 ? GC.GetAllocatedBytesForCurrentThread() - before : 0;

        stream.GetFeature<IVoiceConditioning>()!.SaveVoice(voicePath);
        return new VoiceCloneResult(voicePath, audio.Length / (double)SampleRate, length / (double)SampleRate, fed, text,
            new FileInfo(voicePath).Length, fed > 1 ? allocated / (double)(fed - 1) : 0);
    }

    // The transcript as the synthesizer would speak it: lower-cased, white space collapsed, every character spellable.
    private string Transcript(string? transcript)
    {
        if (string.IsNullOrWhiteSpace(transcript)) return "";
        var prepared = SpeechText.Prepare(transcript, int.MaxValue);
        int bad = _tokenizer.IndexOfUnknown(prepared.Normalized);
        if (bad >= 0)
        {
            int at = prepared.OriginalIndex(bad);
            Fail.With(EdgeErrorCode.InvalidInput,
                $"clone: the transcript's character U+{(int)transcript[at]:X4} at position {at} is not in the tokenizer's vocabulary ({Model.Package.Path}); spell out digits and symbols as words.");
        }
        return prepared.Normalized;
    }

    // A clip cut to a fraction of its speech keeps that fraction of its words (speech runs at a roughly even rate in characters).
    private static string CutTranscript(string text, double fraction)
    {
        if (text.Length == 0) return text;
        int at = (int)Math.Round(text.Length * fraction);
        int space = text.LastIndexOf(' ', Math.Clamp(at, 0, text.Length - 1));
        return space > 0 ? text[..space] : text;
    }

    /// <summary>Releases the model when this cloner loaded it (<see cref="Load"/>), and any voice it unpacked.</summary>
    public void Dispose()
    {
        if (_ownsModel) Model.Dispose();
        if (_tempVoice is not null) File.Delete(_tempVoice);
    }
}
