namespace Edge.Kernels;

/// <summary>
/// The <see cref="GlaRecurrence"/> steps of a layer's heads, shared among a <see cref="KernelThreads"/> pool: each
/// head reads and writes its own slice of the state (a memory-bound pass over megabytes at release size), so the
/// heads run on whichever threads are free and every head gets the bits it gets alone. One instance per stream:
/// it holds the step's pointers while the heads run. Allocates nothing.
/// </summary>
public sealed unsafe class GlaHeads : IRowWork
{
    private float* _state, _decay, _k, _v, _q, _o;
    private int _kh, _vh;

    /// <summary>
    /// Steps <paramref name="heads"/> heads: head <c>h</c> takes row-major <c>[Kh, Vh]</c> block <c>h</c> of
    /// <paramref name="state"/>, slice <c>h</c> of <paramref name="decay"/>, <paramref name="k"/> and <paramref name="q"/>
    /// (Kh each) and of <paramref name="v"/> and <paramref name="o"/> (Vh each), as <see cref="GlaRecurrence.Step(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.
    /// Across <paramref name="threads"/> when it has more than one and is free; on this thread otherwise.
    /// </summary>
    public void Step(Span<float> state, ReadOnlySpan<float> decay, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> q, Span<float> o,
        int heads, KernelThreads? threads)
    {
        if (heads < 1 || decay.Length % heads != 0 || v.Length % heads != 0)
            throw new ArgumentOutOfRangeException(nameof(heads), heads, $"{decay.Length} keys and {v.Length} values do not split into {heads} heads.");
        int kh = decay.Length / heads, vh = v.Length / heads;
        if (k.Length != decay.Length) Throw.Length(nameof(k), decay.Length, k.Length);
        if (q.Length != decay.Length) Throw.Length(nameof(q), decay.Length, q.Length);
        if (o.Length != v.Length) Throw.Length(nameof(o), v.Length, o.Length);
        if ((long)heads * kh * vh != state.Length) Throw.Length(nameof(state), (long)heads * kh * vh, state.Length);
        if (threads is { Count: > 1 } && heads > 1)
        {
            fixed (float* s = state, d = decay, kp = k, vp = v, qp = q, op = o)
            {
                _state = s; _decay = d; _k = kp; _v = vp; _q = qp; _o = op; _kh = kh; _vh = vh;
                bool shared = threads.TryRunRows(this, heads);
                _state = _decay = _k = _v = _q = _o = null;
                if (shared) return;
            }
        }
        for (int h = 0; h < heads; h++)
            GlaRecurrence.Step(state.Slice(h * kh * vh, kh * vh), decay.Slice(h * kh, kh), k.Slice(h * kh, kh), v.Slice(h * vh, vh), q.Slice(h * kh, kh), o.Slice(h * vh, vh));
    }

    void IRowWork.Run(int h)
    {
        int kh = _kh, vh = _vh;
        GlaRecurrence.Step(new Span<float>(_state + (long)h * kh * vh, kh * vh), new ReadOnlySpan<float>(_decay + h * kh, kh), new ReadOnlySpan<float>(_k + h * kh, kh),
            new ReadOnlySpan<float>(_v + h * vh, vh), new ReadOnlySpan<float>(_q + h * kh, kh), new Span<float>(_o + h * vh, vh));
    }
}
