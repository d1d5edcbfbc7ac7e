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
/// forced, not sampled. <see cref="Generate"/> returns the codes undelayed, one row per audio frame. Allocates
/// nothing per step; its buffers grow only when a longer prompt or run needs them.
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

    /// <summary>Whether the last run stopped on EOS (false: it reached the step limit).</summary>
    public bool StoppedAtEos { get; private set; }

    /// <summary>
    /// Resets the stream to its initial state (its voice, if any), runs the prompt and samples. Returns the
    /// generated codes (after the prompt), row-major <c>[frames, n_quant]</c>, valid until the next call.
    /// </summary>
    /// <param name="prompt">Prompt codes, row-major <c>[frames, n_quant]</c>, each in [0, n_codebook); empty for none.</param>
    public ReadOnlySpan<int> Generate(ReadOnlySpan<int> prompt = default)
    {
        int q = _quantizers;
        // Messages are built only on failure, so a run allocates nothing.
        if (prompt.Length % q != 0)
            Fail.With(EdgeErrorCode.InvalidInput, $"generate: the prompt has {prompt.Length} codes, not a multiple of n_quant {q}.");
        foreach (int code in prompt)
            if (code < 0 || code >= _vocab - Special)
                Fail.With(EdgeErrorCode.InvalidInput, $"generate: prompt code {code} is outside [0, {_vocab - Special}).");
        int promptFrames = prompt.Length / q;
        int maxColumns = promptFrames + q + 1 + _options.MaxSteps;
        if (_grid.Length < maxColumns * q) _grid = new int[maxColumns * q];
        if (_codes.Length < maxColumns * q) _codes = new int[maxColumns * q];

        _stream.Reset();
        for (int i = 0; i < q; i++) _grid[i] = Bos;
        int columns = 1, sampled = 0;
        StoppedAtEos = false;
        while (columns < maxColumns)
        {
            int c = columns - 1;
            for (int i = 0; i < q; i++) _input[i] = _grid[c * q + i];
            _stream.Step(_input, _logits);
            bool free = false, allEos = true;
            for (int i = 0; i < q; i++)
            {
                int id = Fixed(columns, i, prompt, promptFrames);
                if (id < 0)
                {
                    var row = _logits.AsSpan(i * _vocab, _vocab);
                    id = i == 0 ? _sampler.Sample(row) : TopKSampler.ArgMax(row);
                    free = true;
                }
                _grid[columns * q + i] = id;
                allEos &= id == Eos;
            }
            columns++;
            if (free) sampled++;
            if (allEos && free) { StoppedAtEos = true; break; }
            if (sampled >= _options.MaxSteps) break;
        }

        // Quantizer 0's first EOS (after the prompt) ends the frames; column f + i + 1 holds frame f of quantizer i.
        int end = columns;
        for (int col = promptFrames + 1; col < columns; col++) if (_grid[col * q] == Eos) { end = col; break; }
        int frames = Math.Max(0, end - 1 - promptFrames);
        for (int f = 0; f < frames; f++)
            for (int i = 0; i < q; i++)
            {
                int col = promptFrames + f + i + 1;
                int id = col < columns ? _grid[col * q + i] : 0;
                _codes[f * q + i] = Math.Max(0, id - Special);   // a special id inside the frames becomes code 0, as Lina's to_vocos
            }
        return _codes.AsSpan(0, frames * q);
    }

    // The id the delay pattern or the prompt fixes at (column, quantizer), or −1 when it is to be sampled.
    private static int Fixed(int column, int quantizer, ReadOnlySpan<int> prompt, int promptFrames)
    {
        if (column < quantizer + 1) return Bos;
        int frame = column - quantizer - 1;
        int q = promptFrames == 0 ? 1 : prompt.Length / promptFrames;
        return frame < promptFrames ? prompt[frame * q + quantizer] + Special : -1;
    }
}
