using Edge.Streams;

namespace Edge.Families.Gla;

/// <summary>
/// Generates audio codes with a gla-tts stream whose text is set: feeds BOS, then the prompt's codes
/// (prompt continuation: a reference clip's codes, teacher forced), then samples until every quantizer
/// emits EOS together or <see cref="SpeechGeneratorOptions.MaxSteps"/> is reached.
/// </summary>
/// <remarks>
/// With n_quant &gt; 1 the codes are delayed as Lina-Speech's <c>delay_rvq</c> lays them out: quantizer i runs
/// i + 1 steps behind (BOS before it, EOS after it), and entries the delay pattern or the prompt fixes are
/// forced, not sampled. <see cref="Generate"/> returns the codes undelayed, one row per audio frame; the
/// step-wise form (<see cref="Begin"/>, then <see cref="Next"/>) hands each frame out as soon as its last
/// quantizer is sampled, so a codec can decode it while the model runs on. Allocates nothing per step; its
/// buffers grow only when a longer prompt or run needs them.
/// </remarks>
public sealed class SpeechGenerator
{
    private const int Bos = 1, Eos = 2, Special = GlaConfig.SpecialTokens;
    private readonly ModelStream _stream;
    private readonly SpeechGeneratorOptions _options;
    private readonly TopKSampler _sampler;
    private readonly int _quantizers, _vocab;
    private readonly float[] _input, _logits;
    private int[] _grid = [];       // [columns, n_quant] delayed ids
    private int[] _codes = [];      // [frames, n_quant] undelayed codes
    private int[] _prompt = [];     // the current run's prompt, [frames, n_quant]
    private int _promptFrames, _maxSteps, _maxColumns, _columns, _sampled, _emitted, _end;
    private bool _running, _done;

    /// <summary>A generator over <paramref name="stream"/> (a gla-tts stream; set its text before generating).</summary>
    public SpeechGenerator(ModelStream stream, SpeechGeneratorOptions? options = null)
    {
        _stream = stream;
        _options = options ?? new SpeechGeneratorOptions();
        Fail.If(stream.Model.StepModel is not GlaTtsModel, EdgeErrorCode.InvalidArgument,
            $"generate: the stream runs a {stream.Model.Family} model; speech generation needs gla-tts.");
        Fail.If(_options.MaxSteps < 1, EdgeErrorCode.InvalidArgument, "generate: max steps must be at least 1.");
        var c = ((GlaTtsModel)stream.Model.StepModel).Config;
        _quantizers = c.NQuant;
        _vocab = c.AudioVocab;
        _sampler = new TopKSampler(_vocab, _options.Greedy ? 1 : _options.TopK, _options.Temperature, _options.Seed);
        _input = new float[_quantizers];
        _logits = new float[_quantizers * _vocab];
    }

    /// <summary>Codes per frame (the model's n_quant): the length <see cref="Next"/> writes.</summary>
    public int Quantizers => _quantizers;

    /// <summary>Whether the last run stopped on EOS (false: it reached the step limit).</summary>
    public bool StoppedAtEos { get; private set; }

    /// <summary>Model steps run since the last <see cref="Begin"/> (BOS and prompt included).</summary>
    public int StepsRun => _columns - 1;

    /// <summary>Restarts the draws from <paramref name="seed"/> (the next run samples as a new generator with that seed would).</summary>
    public void Reseed(int seed) => _sampler.Reseed(seed);

    /// <summary>
    /// Resets the stream to its initial state (its voice, if any), runs the prompt and samples. Returns the
    /// generated codes (after the prompt), row-major <c>[frames, n_quant]</c>, valid until the next call.
    /// </summary>
    /// <param name="prompt">Prompt codes, row-major <c>[frames, n_quant]</c>, each in [0, n_codebook); empty for none.</param>
    public ReadOnlySpan<int> Generate(ReadOnlySpan<int> prompt = default)
    {
        Begin(prompt);
        if (_codes.Length < _maxColumns * _quantizers) _codes = new int[_maxColumns * _quantizers];
        int frames = 0;
        while (Next(_codes.AsSpan(frames * _quantizers, _quantizers))) frames++;
        return _codes.AsSpan(0, frames * _quantizers);
    }

    /// <summary>
    /// Starts a step-wise run: resets the stream to its initial state and takes the prompt (copied); nothing is
    /// stepped until <see cref="Next"/>. <paramref name="maxSteps"/> overrides <see cref="SpeechGeneratorOptions.MaxSteps"/> for this run.
    /// </summary>
    /// <param name="prompt">Prompt codes, row-major <c>[frames, n_quant]</c>, each in [0, n_codebook); empty for none.</param>
    /// <param name="maxSteps">Most steps sampled after the prompt in this run; 0 keeps the options' limit.</param>
    public void Begin(ReadOnlySpan<int> prompt = default, int maxSteps = 0)
    {
        int q = _quantizers;
        // Messages are built only on failure, so a run allocates nothing.
        if (prompt.Length % q != 0)
            Fail.With(EdgeErrorCode.InvalidInput, $"generate: the prompt has {prompt.Length} codes, not a multiple of n_quant {q}.");
        foreach (int code in prompt)
            if (code < 0 || code >= _vocab - Special)
                Fail.With(EdgeErrorCode.InvalidInput, $"generate: prompt code {code} is outside [0, {_vocab - Special}).");
        if (maxSteps < 0) Fail.With(EdgeErrorCode.InvalidArgument, "generate: max steps must be at least 1 (0 keeps the options' limit).");
        _maxSteps = maxSteps == 0 ? _options.MaxSteps : maxSteps;
        _promptFrames = prompt.Length / q;
        if (_prompt.Length < prompt.Length) _prompt = new int[prompt.Length];
        prompt.CopyTo(_prompt);
        _maxColumns = _promptFrames + q + 1 + _maxSteps;
        if (_grid.Length < _maxColumns * q) _grid = new int[_maxColumns * q];

        _stream.Reset();
        for (int i = 0; i < q; i++) _grid[i] = Bos;
        _columns = 1;
        _sampled = 0;
        _emitted = 0;
        _end = int.MaxValue;
        _done = false;
        _running = true;
        StoppedAtEos = false;
    }

    /// <summary>
    /// Steps the model until the next frame after the prompt is complete and writes its <see cref="Quantizers"/>
    /// codes (each in [0, n_codebook)) to <paramref name="frame"/>; false when the run has ended (EOS or the step limit).
    /// </summary>
    public bool Next(Span<int> frame)
    {
        if (!_running) Fail.With(EdgeErrorCode.InvalidArgument, "generate: call Begin before Next.");
        if (frame.Length < _quantizers) Fail.With(EdgeErrorCode.InvalidArgument, $"generate: the frame span holds {frame.Length} codes; n_quant is {_quantizers}.");
        int q = _quantizers;
        while (true)
        {
            // Frame f of quantizer i sits in column promptFrames + f + i + 1; quantizer 0's first EOS ends the frames.
            int first = _promptFrames + _emitted + 1;
            if (first >= _end) return false;
            int last = first + q - 1;
            if (last < _columns || (_done && first < _columns))
            {
                for (int i = 0; i < q; i++)
                {
                    int col = first + i;
                    int id = col < _columns ? _grid[col * q + i] : 0;
                    frame[i] = Math.Max(0, id - Special);   // a special id inside the frames becomes code 0, as Lina's to_vocos
                }
                _emitted++;
                return true;
            }
            if (_done) return false;
            StepColumn();
        }
    }

    private void StepColumn()
    {
        int q = _quantizers, c = _columns - 1;
        for (int i = 0; i < q; i++) _input[i] = _grid[c * q + i];
        _stream.Step(_input, _logits);
        bool free = false, allEos = true;
        for (int i = 0; i < q; i++)
        {
            int id = Fixed(_columns, i);
            if (id < 0)
            {
                var row = _logits.AsSpan(i * _vocab, _vocab);
                id = i == 0 ? _sampler.Sample(row) : TopKSampler.ArgMax(row);
                free = true;
            }
            _grid[_columns * q + i] = id;
            allEos &= id == Eos;
        }
        if (_grid[_columns * q] == Eos && _columns >= _promptFrames + 1 && _end == int.MaxValue) _end = _columns;
        _columns++;
        if (free) _sampled++;
        if (allEos && free) { StoppedAtEos = true; _done = true; }
        if (_sampled >= _maxSteps || _columns >= _maxColumns) _done = true;
    }

    // The id the delay pattern or the prompt fixes at (column, quantizer), or −1 when it is to be sampled.
    private int Fixed(int column, int quantizer)
    {
        if (column < quantizer + 1) return Bos;
        int frame = column - quantizer - 1;
        return frame < _promptFrames ? _prompt[frame * _quantizers + quantizer] + Special : -1;
    }
}
