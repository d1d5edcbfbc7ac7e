using System.Diagnostics;
using Edge.Families.Gla;
using Edge.Speech.Codecs;
using Edge.Streams;

namespace Edge.Speech.Synthesis;

/// <summary>
/// One synthesis at a time on its own model stream, sampler and codec decoder: <see cref="Begin"/> a text,
/// then <see cref="Read"/> audio chunks until it returns 0. Each code the model samples goes straight into the
/// decoder, so audio comes out while the model runs on, and a chunk's token loop allocates nothing.
/// Not thread-safe: one stream per thread; many streams share one <see cref="SpeechSynthesizer"/>.
/// </summary>
public sealed class SpeechStream : IDisposable
{
    private readonly SpeechSynthesizer _owner;
    private readonly ModelStream _model;
    private readonly ITextConditioning _text;
    private readonly SpeechGenerator _generator;
    private readonly ICodecDecoder _decoder;
    private readonly int[] _frame;
    private readonly int _pauseSamples;
    private readonly Stopwatch _clock = new();
    private SpeechText? _speech;
    private int _sentence, _seed, _atLimit, _pauseLeft, _warmUpSteps;
    private bool _inSentence, _ended, _warm;
    private long _tokens, _samples, _countedTokens, _countedBytes;
    private TimeSpan _firstAudio, _elapsed;

    internal SpeechStream(SpeechSynthesizer owner, string? voice)
    {
        _owner = owner;
        _model = owner.Model.CreateStream();
        try
        {
            _text = _model.GetFeature<ITextConditioning>()!;
            if (voice is not null) _model.GetFeature<IVoiceConditioning>()!.LoadVoice(voice);
            var o = owner.Options;
            _generator = new SpeechGenerator(_model, new SpeechGeneratorOptions
            {
                TopK = o.TopK, Temperature = o.Temperature, MaxSteps = o.MaxStepsPerSentence,
            });
            _decoder = owner.Codec.CreateDecoder();
        }
        catch
        {
            _model.Dispose();
            throw;
        }
        _frame = new int[_generator.Quantizers];
        _pauseSamples = (int)Math.Round(owner.Options.SentencePause.TotalSeconds * owner.SampleRate);
        MaxChunkSamples = Math.Max(_decoder.MaxSamplesPerPush, _decoder.MaxFinishSamples);
    }

    /// <summary>The most samples one <see cref="Read"/> writes: the buffer given to it must hold this many.</summary>
    public int MaxChunkSamples { get; }

    /// <summary>Sentences of the current text.</summary>
    public int SentenceCount => _speech?.Sentences.Count ?? 0;

    /// <summary>Sentences finished so far (for a progress bar).</summary>
    public int SentencesDone => _sentence;

    /// <summary>The figures of the current (or last) synthesis so far.</summary>
    public SpeechMetrics Metrics => new(_firstAudio, _ended ? _elapsed : _clock.Elapsed, _tokens, _samples, _owner.SampleRate,
        _sentence, _atLimit, _countedTokens == 0 ? 0 : (double)_countedBytes / _countedTokens);

    /// <summary>
    /// Starts speaking <paramref name="text"/> (checked whole first: see <see cref="SpeechSynthesizer.Prepare"/>).
    /// The same text and <paramref name="seed"/> give the same audio, sample for sample, on any thread.
    /// </summary>
    public void Begin(string text, int seed = 0)
    {
        _clock.Restart();
        _speech = _owner.Prepare(text);
        _seed = seed;
        _sentence = _atLimit = 0;
        _tokens = _samples = _countedTokens = _countedBytes = 0;
        _inSentence = _ended = false;
        _pauseLeft = 0;
        _firstAudio = _elapsed = TimeSpan.Zero;
        _decoder.Reset();
    }

    /// <summary>
    /// Runs the model until the codec has final audio, writes it to <paramref name="audio"/> (at least
    /// <see cref="MaxChunkSamples"/> long) and returns how many samples; 0 when the text is spoken. Cancelling
    /// <paramref name="cancellation"/> stops within one token (an <see cref="OperationCanceledException"/>).
    /// </summary>
    public int Read(Span<float> audio, CancellationToken cancellation = default)
    {
        if (_speech is null) Fail.With(EdgeErrorCode.InvalidArgument, "speech: call Begin(text) before Read.");
        if (audio.Length < MaxChunkSamples)
            Fail.With(EdgeErrorCode.InvalidArgument, $"speech: the audio buffer holds {audio.Length} samples; Read needs MaxChunkSamples ({MaxChunkSamples}).");
        while (!_ended)
        {
            if (_pauseLeft > 0)
            {
                int silence = Math.Min(_pauseLeft, MaxChunkSamples);
                audio[..silence].Clear();
                _pauseLeft -= silence;
                return Deliver(silence);
            }
            if (!_inSentence)
            {
                if (_sentence == _speech.Sentences.Count)
                {
                    _ended = true;
                    _elapsed = _clock.Elapsed;
                    break;
                }
                StartSentence(_speech.Sentences[_sentence]);
            }
            int n = RunTokens(audio, cancellation);
            if (n == 0)
            {
                // The sentence ended: the decoder gives back what its look-ahead held.
                if (!_generator.StoppedAtEos) _atLimit++;
                _inSentence = false;
                _sentence++;
                if (_sentence < _speech.Sentences.Count) _pauseLeft = _pauseSamples;
                n = _decoder.Finish(audio);
            }
            if (n > 0) return Deliver(n);
        }
        return 0;
    }

    // Speaks at most steps frames of text and throws the audio away: every method of the path (text encoder,
    // decoder step, sampler, codec push and finish) has then run once. Only on the synthesizer's probe stream.
    internal void WarmUp(string text, int steps)
    {
        _warmUpSteps = steps;
        Begin(text);
        var buffer = new float[MaxChunkSamples];
        while (Read(buffer) > 0) { }
    }

    private void StartSentence(string sentence)
    {
        _text.SetText(sentence);
        int perCharacter = _owner.Options.MaxStepsPerCharacter;
        int limit = _owner.Options.MaxStepsPerSentence;
        if (perCharacter > 0) limit = (int)Math.Min(limit, 50L + (long)perCharacter * sentence.Length);
        if (_warmUpSteps > 0) limit = Math.Min(limit, _warmUpSteps);
        // Each sentence has its own draws, so its audio does not depend on how long the ones before it ran.
        _generator.Reseed(unchecked(_seed * 1_000_003 + _sentence));
        _generator.Begin(default, limit);
        _inSentence = true;
    }

    // The token loop: step, sample, decode, until the decoder hands out samples (returned) or the sentence ends (0).
    private int RunTokens(Span<float> audio, CancellationToken cancellation)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        int steps = _generator.StepsRun, n = 0;
        while (n == 0)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!_generator.Next(_frame)) break;
            n = _decoder.Push(_frame, audio);
        }
        int ran = _generator.StepsRun - steps;
        _tokens += ran;
        if (_warm)
        {
            _countedBytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
            _countedTokens += ran;
        }
        return n;
    }

    private int Deliver(int n)
    {
        if (_samples == 0) _firstAudio = _clock.Elapsed;
        _samples += n;
        _warm = true;
        return n;
    }

    /// <summary>Releases the model stream and the decoder.</summary>
    public void Dispose()
    {
        _decoder.Dispose();
        _model.Dispose();
    }
}
