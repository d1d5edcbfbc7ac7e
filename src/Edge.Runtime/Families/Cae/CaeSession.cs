using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Edge.Backends;

namespace Edge.Families.Cae;

/// <summary>One stream of a cae model: its flat state (ring, fill, next, phase, score) and the fixed-size layer buffers, allocated once.</summary>
internal sealed class CaeSession : IStepSession
{
    private readonly CaeModel _model;
    private readonly float[] _state;
    private readonly float[][] _encoderIn;   // zero-padded [L_i + 2p_i, c_{i−1}]; rows p_i.. hold the signal, the pad rows stay 0
    private readonly float[] _encoded;       // h_E [L_E, c_{E−1}]
    private readonly float[] _latent;        // z
    private readonly float[][] _decoderIn;   // g_j [L, C]; the last one is X̂ [W, F]
    private readonly float[] _accumulator;
    private readonly int _fillAt, _nextAt, _phaseAt, _scoreAt;

    public CaeSession(CaeModel model)
    {
        _model = model;
        var c = model.Config;
        var layout = model.State;
        (_fillAt, _nextAt, _phaseAt, _scoreAt) = (layout["ring_fill"].Offset, layout["ring_next"].Offset, layout["phase"].Offset, layout["score"].Offset);
        _state = new float[layout.Bytes / sizeof(float)];
        _encoderIn = model.Encoder.Select(l => new float[l.PaddedRows * l.InChannels]).ToArray();
        _encoded = new float[c.Flat];
        _latent = new float[c.LatentDim];
        _decoderIn = new float[c.Layers + 1][];
        _decoderIn[0] = new float[c.Flat];
        for (int j = 0; j < c.Layers; j++) _decoderIn[j + 1] = new float[model.Decoder[j].OutLength * model.Decoder[j].OutChannels];
        _accumulator = new float[model.Decoder.Max(d => d.AccumulatorRows * d.OutChannels)];
    }

    public void Reset() => Array.Clear(_state);

    public void ReadState(Span<byte> destination) => MemoryMarshal.AsBytes(_state.AsSpan()).CopyTo(destination);

    public void WriteState(ReadOnlySpan<byte> bytes)
    {
        var source = MemoryMarshal.Cast<byte, float>(bytes);
        var c = _model.Config;
        float fill = source[_fillAt], next = source[_nextAt], phase = source[_phaseAt], score = source[_scoreAt];
        if (!(IsIndex(fill, c.Window + 1) && IsIndex(next, c.Window)))
            throw new EdgeException(EdgeErrorCode.InvalidState,
                $"ring_fill {fill} / ring_next {next} do not fit a window of {c.Window} (ring_fill 0..{c.Window}, ring_next 0..{c.Window - 1}, whole numbers); the state is corrupt.");
        if (fill < c.Window && (next != fill || phase != 0 || score != 0))
            throw new EdgeException(EdgeErrorCode.InvalidState,
                $"ring_fill {fill} says the ring is still filling, but ring_next {next}, phase {phase} and score {score} are not {fill}, 0 and 0 as filling leaves them; the state is corrupt.");
        if (!IsIndex(phase, c.Hop))
            throw new EdgeException(EdgeErrorCode.InvalidState, $"phase {phase} does not fit hop {c.Hop} (0..{c.Hop - 1}, a whole number); the state is corrupt.");
        if (!(score >= 0 && float.IsFinite(score)))
            throw new EdgeException(EdgeErrorCode.InvalidState, $"score {score} is not a finite value of 0 or more (a mean squared error); the state is corrupt.");
        source.CopyTo(_state);
    }

    private static bool IsIndex(float v, int count) => v >= 0 && v < count && v == MathF.Floor(v);

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        var c = _model.Config;
        int f = c.InputDim, w = c.Window;
        Span<float> state = _state;
        Span<float> ring = state.Slice(0, w * f);
        int next = (int)state[_nextAt], fill = (int)state[_fillAt];

        Span<float> row = ring.Slice(next * f, f);
        TensorPrimitives.Subtract(input, c.InputMean, row);
        TensorPrimitives.Divide(row, c.InputStd, row);
        next = (next + 1) % w;
        fill = Math.Min(fill + 1, w);
        state[_nextAt] = next;
        state[_fillAt] = fill;

        if (fill < w)
        {
            state[_scoreAt] = 0;
            state[_phaseAt] = 0;
        }
        else
        {
            int phase = (int)state[_phaseAt];
            if (phase == 0) state[_scoreAt] = Score(ring, next);
            state[_phaseAt] = (phase + 1) % c.Hop;
        }
        float score = state[_scoreAt];
        output[0] = score;
        output[1] = score > c.Threshold ? 1f : 0f;
    }

    // The autoencoder on the window X (oldest sample first = ring row `oldest` onward), its weighted clipped mean squared error.
    private float Score(ReadOnlySpan<float> ring, int oldest)
    {
        var c = _model.Config;
        int f = c.InputDim, w = c.Window;
        var first = _model.Encoder[0];
        Span<float> x = _encoderIn[0].AsSpan(first.Padding * f, w * f);
        ring.Slice(oldest * f).CopyTo(x);
        ring.Slice(0, oldest * f).CopyTo(x.Slice((w - oldest) * f));

        for (int i = 0; i < c.Layers; i++)
        {
            var layer = _model.Encoder[i];
            Span<float> y = i + 1 < c.Layers
                ? _encoderIn[i + 1].AsSpan(_model.Encoder[i + 1].Padding * layer.OutChannels, layer.OutLength * layer.OutChannels)
                : _encoded;
            layer.Apply(_encoderIn[i], y);
        }
        _model.Bottleneck.MultiplyAddBias(_encoded, _model.BottleneckBias, _latent);
        _model.Expand.MultiplyAddBias(_latent, _model.ExpandBias, _decoderIn[0]);
        Edge.Kernels.Relu.Apply(_decoderIn[0], _decoderIn[0]);
        for (int j = 0; j < c.Layers; j++) _model.Decoder[j].Apply(_decoderIn[j], _accumulator, _decoderIn[j + 1]);

        ReadOnlySpan<float> reconstructed = _decoderIn[c.Layers];
        double clip = c.ErrorClip ?? double.PositiveInfinity, sum = 0;
        for (int t = 0; t < w; t++)
        {
            for (int k = 0; k < f; k++)
            {
                double d = (double)x[t * f + k] - reconstructed[t * f + k];
                sum += c.ChannelWeights[k] * Math.Min(d * d, clip);
            }
        }
        return (float)(sum / ((double)f * w));
    }

    public void Dispose()
    {
    }
}
