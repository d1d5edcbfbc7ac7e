using System.Numerics.Tensors;
using Edge.Backends;
using Edge.Kernels;

namespace Edge.Families.Aaren;

/// <summary>
/// The aaren step for a batch of streams: each product runs once over the stacked rows of all streams
/// (<see cref="PackedMatrix.MultiplyMany"/>), the norms, activations and biases row by row as the one-stream
/// step applies them, and the running softmax on each stream's own sums. Each stream gets the bits of
/// <see cref="AarenSession.Step"/>.
/// </summary>
internal sealed class AarenBatchStep : IBatchStep
{
    private readonly AarenModel _model;
    private readonly float[] _x0;   // [B, F]
    private readonly float[] _z;    // [B, D]: the residual streams
    private readonly float[] _u;    // [B, D]: the normed streams
    private readonly float[] _vs;   // [B, D + NH]: values then scores
    private readonly float[] _o;    // [B, D]: attention outputs
    private readonly float[] _h;    // [B, Fd]: feed-forward hidden
    private readonly float[] _y;    // [B, O]

    public AarenBatchStep(AarenModel model, int capacity)
    {
        _model = model;
        Capacity = capacity;
        var c = model.Config;
        _x0 = new float[capacity * c.InputDim];
        _z = new float[capacity * c.DModel];
        _u = new float[capacity * c.DModel];
        _vs = new float[capacity * (c.DModel + c.Heads)];
        _o = new float[capacity * c.DModel];
        _h = new float[capacity * c.FfnDim];
        _y = new float[capacity * c.OutputDim];
    }

    public int Capacity { get; }

    public void Step(ReadOnlySpan<IStepSession> sessions, ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        var c = _model.Config;
        int b = sessions.Length, d = c.DModel, f = c.InputDim, vsd = d + c.Heads, fd = c.FfnDim, od = c.OutputDim;
        Span<float> x0 = _x0.AsSpan(0, b * f), z = _z.AsSpan(0, b * d), u = _u.AsSpan(0, b * d);
        Span<float> vs = _vs.AsSpan(0, b * vsd), o = _o.AsSpan(0, b * d), h = _h.AsSpan(0, b * fd), y = _y.AsSpan(0, b * od);

        for (int i = 0; i < b; i++)
        {
            var row = x0.Slice(i * f, f);
            TensorPrimitives.Subtract(inputs.Slice(i * f, f), c.InputMean, row);
            TensorPrimitives.Divide(row, c.InputStd, row);
        }
        _model.InProj.MultiplyAddBiasMany(x0, _model.InBias, z, b);
        for (int l = 0; l < c.Layers; l++)
        {
            var w = _model.Layers[l];
            for (int i = 0; i < b; i++) LayerNorm.Normalize(z.Slice(i * d, d), w.Norm1Weight, w.Norm1Bias, c.Eps, u.Slice(i * d, d));
            w.ValueScore.MultiplyAddBiasMany(u, w.ValueScoreBias, vs, b);
            for (int i = 0; i < b; i++) ((AarenSession)sessions[i]).Attend(l, vs.Slice(i * vsd, vsd), o.Slice(i * d, d));
            w.OutProj.MultiplyAccumulateMany(o, z, b);
            for (int i = 0; i < b; i++) TensorPrimitives.Add(z.Slice(i * d, d), w.OutBias, z.Slice(i * d, d));

            for (int i = 0; i < b; i++) LayerNorm.Normalize(z.Slice(i * d, d), w.Norm2Weight, w.Norm2Bias, c.Eps, u.Slice(i * d, d));
            w.Fc1.MultiplyAddBiasMany(u, w.Fc1Bias, h, b);
            for (int i = 0; i < b; i++) AarenSublayers.Activate(c.Activation, h.Slice(i * fd, fd));
            w.Fc2.MultiplyAccumulateMany(h, z, b);
            for (int i = 0; i < b; i++) TensorPrimitives.Add(z.Slice(i * d, d), w.Fc2Bias, z.Slice(i * d, d));
        }
        for (int i = 0; i < b; i++) LayerNorm.Normalize(z.Slice(i * d, d), _model.NormFWeight, _model.NormFBias, c.Eps, u.Slice(i * d, d));
        _model.HeadWeight.MultiplyAddBiasMany(u, _model.HeadBias, y, b);
        for (int i = 0; i < b; i++) TensorPrimitives.MultiplyAdd(y.Slice(i * od, od), c.OutputStd, c.OutputMean, outputs.Slice(i * od, od));
    }

    public void Dispose()
    {
    }
}
