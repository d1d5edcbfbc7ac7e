using Edge.Backends;

namespace Edge.Families.Gla;

/// <summary>
/// The gla-tts step for a batch of streams: every block's four products (in-projection, o_proj, SwiGLU p_in and
/// p_out) and the logits head run once over the stacked rows of all streams, reading each weight once per step
/// (<see cref="Kernels.PackedMatrix.MultiplyMany"/>, split across the model's threads); the RVQ embedding sum,
/// the norms, the short convolutions, gate, decay, recurrence and RmsNorm (<see cref="GlaLayer.Recur"/>) and the
/// blind cross-attention, which reads the stream's own text, run row by row on each stream's own state in place.
/// Each stream gets the bits of <see cref="GlaTtsSession.Step"/>. Allocates nothing.
/// </summary>
internal sealed class GlaTtsBatchStep : IBatchStep
{
    private readonly GlaTtsModel _model;
    private readonly float[] _y;            // [B, d]: each stream's residual vector
    private readonly float[][] _states;     // each row's flat state, refilled every step (references only)
    private readonly BlockBatchScratch _blocks;
    private readonly CrossScratch _cross;   // the rows take turns

    public GlaTtsBatchStep(GlaTtsModel model, int capacity)
    {
        _model = model;
        Capacity = capacity;
        var c = model.Config;
        _y = new float[capacity * c.DModel];
        _states = new float[capacity][];
        _blocks = new BlockBatchScratch(c.MainLayer, capacity);
        _cross = new CrossScratch(c);
    }

    public int Capacity { get; }

    public void Step(ReadOnlySpan<IStepSession> sessions, ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        var c = _model.Config;
        int b = sessions.Length, d = c.DModel, n = c.NQuant;
        for (int i = 0; i < b; i++)
        {
            if (((GlaTtsSession)sessions[i]).Text.Length == 0) GlaErrors.ThrowNoText(i);
        }
        Span<float> y = _y.AsSpan(0, b * d);
        for (int i = 0; i < b; i++)   // an input that is no audio token id throws here, before any state changes
            ((GlaTtsSession)sessions[i]).Embed(inputs.Slice(i * n, n), y.Slice(i * d, d));
        var first = (GlaTtsSession)sessions[0];
        for (int i = 0; i < b; i++) _states[i] = ((GlaTtsSession)sessions[i]).State;
        var threads = _model.KernelThreads;
        try
        {
            for (int l = 0; l < _model.Encoder.Length; l++) _model.Encoder[l].StepMany(y, b, _states, first.EncoderStateAt(l), _blocks, threads);
            for (int i = 0; i < b; i++)
            {
                var s = (GlaTtsSession)sessions[i];
                _model.Cross.Step(y.Slice(i * d, d), s.Text, s.PosNetState, _cross);
            }
            for (int l = 0; l < _model.Decoder.Length; l++) _model.Decoder[l].StepMany(y, b, _states, first.DecoderStateAt(l), _blocks, threads);
            _model.LogitsHead.MultiplyMany(y, outputs, b, threads);
        }
        finally
        {
            Array.Clear(_states, 0, b);   // the batch keeps no stream's state alive
        }
        for (int i = 0; i < b; i++) ((GlaTtsSession)sessions[i]).CountStep();
    }

    public void Dispose()
    {
    }
}
