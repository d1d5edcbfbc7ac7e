using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// A row-major <c>[rows, cols]</c> weight matrix repacked once, at load, into panels of four vectors' worth
/// of rows stored column by column: a product then streams the panel front to back, broadcasts one
/// <c>x[c]</c> per column into four fused multiply-adds, and needs no horizontal sums. For the small
/// matrices of a recurrent step (L2-resident) this is 1.2–2.6× faster than <see cref="MatVec"/>; matrices
/// with fewer rows than one panel stay row-major float32, where <see cref="MatVec"/> is faster.
/// The weights may stay in memory as float16, int8 or 4-bit (<see cref="MatrixStorage"/>): each block of
/// a panel is widened into an L1 buffer just before the float32 loop reads it, so inputs and outputs stay
/// float32 and the weights cross the memory bus at their stored size.
/// </summary>
public sealed class PackedMatrix
{
    private const int BlockColumns = 16;   // columns one panel loop reads before adding into the totals
    private const int PrefetchDistance = 8192;   // bytes ahead an int8 panel loop asks for (two cache lines a column pair)

    private readonly float[] _f32 = [];
    private readonly Half[] _f16 = [];
    private readonly sbyte[] _i8 = [];
    private readonly byte[] _q4 = [];
    private readonly float[] _scales = [];   // int8: one per (padded) row; q4: per panel, group and row
    private readonly int _lanes;   // floats per vector on the chosen path; 0 = row-major fallback
    private readonly int _groups;  // q4: groups of 32 columns per row

    private PackedMatrix(int rows, int cols, int lanes, SimdPath path, MatrixStorage storage,
        float[]? f32 = null, Half[]? f16 = null, sbyte[]? i8 = null, byte[]? q4 = null, float[]? scales = null)
    {
        Rows = rows;
        Cols = cols;
        _lanes = lanes;
        Path = path;
        Storage = storage;
        _f32 = f32 ?? [];
        _f16 = f16 ?? [];
        _i8 = i8 ?? [];
        _q4 = q4 ?? [];
        _scales = scales ?? [];
        _groups = (cols + WeightQuantizer.Q4Group - 1) / WeightQuantizer.Q4Group;
    }

    /// <summary>Output length.</summary>
    public int Rows { get; }

    /// <summary>Input length.</summary>
    public int Cols { get; }

    /// <summary>How the weights are kept: the storage asked for, or float32 for a matrix of fewer rows than one panel.</summary>
    public MatrixStorage Storage { get; }

    internal SimdPath Path { get; }

    /// <summary>Bytes of weights and scales held (the zero rows that pad the last panel included): what one product reads.</summary>
    public long StoredBytes => 4L * _f32.LongLength + 2L * _f16.LongLength + _i8.LongLength + _q4.LongLength + 4L * _scales.LongLength;

    /// <summary>Packs a row-major matrix as float32 for this machine's widest SIMD path.</summary>
    public static PackedMatrix Pack(ReadOnlySpan<float> weights, int rows, int cols) => Pack(weights, rows, cols, SimdPaths.Best, MatrixStorage.Float32);

    /// <summary>
    /// Packs a row-major matrix kept as <paramref name="storage"/>; int8 and 4-bit round with
    /// <see cref="WeightQuantizer"/>. Float16 refuses weights beyond its range (±65504). A reduced storage takes
    /// the widest path whose panel fits the matrix (<see cref="SimdPaths.WidestPanelFor"/>), so that it stays
    /// reduced where the widest panel is taller than the matrix; float32 takes the widest path.
    /// </summary>
    public static PackedMatrix Pack(ReadOnlySpan<float> weights, int rows, int cols, MatrixStorage storage) =>
        Pack(weights, rows, cols, storage == MatrixStorage.Float32 ? SimdPaths.Best : SimdPaths.WidestPanelFor(rows), storage);

    /// <summary>Keeps a row-major float32 matrix as it is: products are exactly <see cref="MatVec"/>'s.</summary>
    public static PackedMatrix RowMajor(ReadOnlySpan<float> weights, int rows, int cols)
    {
        if (rows < 1 || cols < 1) throw new ArgumentOutOfRangeException(nameof(rows), "a matrix needs at least one row and one column.");
        if (weights.Length != (long)rows * cols) Throw.Length(nameof(weights), (long)rows * cols, weights.Length);
        return new PackedMatrix(rows, cols, 0, SimdPath.Scalar, MatrixStorage.Float32, f32: weights.ToArray());
    }

    internal static PackedMatrix Pack(ReadOnlySpan<float> weights, int rows, int cols, SimdPath path, MatrixStorage storage = MatrixStorage.Float32)
    {
        if (rows < 1 || cols < 1) throw new ArgumentOutOfRangeException(nameof(rows), "a matrix needs at least one row and one column.");
        if (weights.Length != (long)rows * cols) Throw.Length(nameof(weights), (long)rows * cols, weights.Length);
        int lanes = path switch { SimdPath.V512 => 16, SimdPath.V256 => 8, SimdPath.V128 => 4, _ => 0 };
        // Reduced storages need panels; without SIMD they run the 128-bit loop in software.
        if (storage != MatrixStorage.Float32 && lanes == 0) lanes = 4;
        int height = 4 * lanes;
        if (lanes == 0 || rows < height) return new PackedMatrix(rows, cols, 0, path, MatrixStorage.Float32, f32: weights.ToArray());
        int panels = (rows + height - 1) / height;
        long stored = (long)panels * height * cols;
        switch (storage)
        {
            case MatrixStorage.Float16:
            {
                var data = new Half[stored];
                for (int r = 0; r < rows; r++)
                {
                    long at = PanelIndex(r, height, cols);
                    for (int c = 0; c < cols; c++)
                    {
                        float w = weights[r * cols + c];
                        if (!(Math.Abs(w) <= 65504f))
                            throw new ArgumentOutOfRangeException(nameof(weights), $"weight [{r}, {c}] = {w} is outside the float16 range (±65504).");
                        data[at + (long)c * height] = (Half)w;
                    }
                }
                return new PackedMatrix(rows, cols, lanes, path, storage, f16: data);
            }
            case MatrixStorage.Int8:
            {
                var data = new sbyte[stored];
                var scales = new float[panels * height];
                for (int r = 0; r < rows; r++)
                {
                    var row = weights.Slice(r * cols, cols);
                    float s = scales[r] = WeightQuantizer.Int8Scale(row);
                    long at = PanelIndex(r, height, cols);
                    for (int c = 0; c < cols; c++) data[at + (long)c * height] = WeightQuantizer.Int8(row[c], s);
                }
                return new PackedMatrix(rows, cols, lanes, path, storage, i8: data, scales: scales);
            }
            case MatrixStorage.Q4:
                return PackQ4(weights, rows, cols, lanes, path, panels);
            default:
            {
                var data = new float[stored];
                for (int r = 0; r < rows; r++)
                {
                    long at = PanelIndex(r, height, cols);
                    for (int c = 0; c < cols; c++) data[at + (long)c * height] = weights[r * cols + c];
                }
                return new PackedMatrix(rows, cols, lanes, path, MatrixStorage.Float32, f32: data);
            }
        }
    }

    private static long PanelIndex(int row, int height, int cols) => (long)(row / height) * height * cols + row % height;

    // Q4: each panel holds its groups of 32 columns one after another, a group as 16·height bytes (values in
    // the float32 panel order, value k in the low nibble of byte k and value 16·height + k in the high one),
    // and per panel, group and row one scale. Padding columns and rows hold the nibble 8 (zero).
    private static PackedMatrix PackQ4(ReadOnlySpan<float> weights, int rows, int cols, int lanes, SimdPath path, int panels)
    {
        const int g32 = WeightQuantizer.Q4Group;
        int height = 4 * lanes, groups = (cols + g32 - 1) / g32, half = g32 / 2 * height;
        var data = new byte[(long)panels * groups * half];
        Array.Fill(data, (byte)0x88);
        var scales = new float[panels * groups * height];
        for (int r = 0; r < rows; r++)
        {
            int panel = r / height, within = r % height;
            for (int g = 0; g < groups; g++)
            {
                int c0 = g * g32, n = Math.Min(g32, cols - c0);
                var part = weights.Slice(r * cols + c0, n);
                float s = scales[(panel * groups + g) * height + within] = WeightQuantizer.Q4Scale(part);
                long block = (long)(panel * groups + g) * half;
                for (int c = 0; c < n; c++)
                {
                    int k = c * height + within;
                    byte q = WeightQuantizer.Q4(part[c], s);
                    ref byte b = ref data[block + (k < half ? k : k - half)];
                    b = k < half ? (byte)((b & 0xF0) | q) : (byte)((b & 0x0F) | (q << 4));
                }
            }
        }
        return new PackedMatrix(rows, cols, lanes, path, MatrixStorage.Q4, q4: data, scales: scales);
    }

    /// <summary>Computes <c>y = W x</c>.</summary>
    public void Multiply(ReadOnlySpan<float> x, Span<float> y) => Multiply(x, y, null);

    /// <summary>Computes <c>y = W x</c>, its row panels split across <paramref name="threads"/> (null: this thread); the same bits at any thread count.</summary>
    public void Multiply(ReadOnlySpan<float> x, Span<float> y, KernelThreads? threads)
    {
        Check(x, y);
        Core(x, y, default, hasBias: false, accumulate: false, threads);
    }

    /// <summary>Computes <c>y += W x</c>.</summary>
    public void MultiplyAccumulate(ReadOnlySpan<float> x, Span<float> y) => MultiplyAccumulate(x, y, null);

    /// <summary>Computes <c>y += W x</c>, its row panels split across <paramref name="threads"/> (null: this thread); the same bits at any thread count.</summary>
    public void MultiplyAccumulate(ReadOnlySpan<float> x, Span<float> y, KernelThreads? threads)
    {
        Check(x, y);
        Core(x, y, default, hasBias: false, accumulate: true, threads);
    }

    /// <summary>Computes <c>y = W x + b</c>.</summary>
    public void MultiplyAddBias(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y) => MultiplyAddBias(x, bias, y, null);

    /// <summary>Computes <c>y = W x + b</c>, its row panels split across <paramref name="threads"/> (null: this thread); the same bits at any thread count.</summary>
    public void MultiplyAddBias(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, KernelThreads? threads)
    {
        Check(x, y);
        if (bias.Length != Rows) Throw.Length(nameof(bias), Rows, bias.Length);
        Core(x, y, bias, hasBias: true, accumulate: false, threads);
    }

    /// <summary>The most vectors one pass over a panel serves; a larger batch takes several passes.</summary>
    public const int MaxVectorsPerPass = 64;

    /// <summary>
    /// Computes <c>y_i = W x_i</c> for <paramref name="count"/> vectors at once: <paramref name="xs"/> holds them
    /// one after another (<c>count · Cols</c> floats), <paramref name="ys"/> receives <c>count · Rows</c>. Each block
    /// of the weights is read from memory once and used for every vector while it sits in L1, so a batch of
    /// streams costs about one product's memory traffic. Row <c>i</c> has the same bits as <c>Multiply(x_i, y_i)</c>.
    /// </summary>
    public void MultiplyMany(ReadOnlySpan<float> xs, Span<float> ys, int count, KernelThreads? threads = null)
    {
        CheckMany(xs, ys, count);
        Core(xs, ys, default, hasBias: false, accumulate: false, threads, count);
    }

    /// <summary>Computes <c>y_i += W x_i</c> for <paramref name="count"/> vectors at once (see <see cref="MultiplyMany"/>).</summary>
    public void MultiplyAccumulateMany(ReadOnlySpan<float> xs, Span<float> ys, int count, KernelThreads? threads = null)
    {
        CheckMany(xs, ys, count);
        Core(xs, ys, default, hasBias: false, accumulate: true, threads, count);
    }

    /// <summary>Computes <c>y_i = W x_i + b</c> for <paramref name="count"/> vectors at once (see <see cref="MultiplyMany"/>).</summary>
    public void MultiplyAddBiasMany(ReadOnlySpan<float> xs, ReadOnlySpan<float> bias, Span<float> ys, int count, KernelThreads? threads = null)
    {
        CheckMany(xs, ys, count);
        if (bias.Length != Rows) Throw.Length(nameof(bias), Rows, bias.Length);
        Core(xs, ys, bias, hasBias: true, accumulate: false, threads, count);
    }

    private void CheckMany(ReadOnlySpan<float> xs, Span<float> ys, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a batch holds at least one vector.");
        if (xs.Length != (long)count * Cols) Throw.Length(nameof(xs), (long)count * Cols, xs.Length);
        if (ys.Length != (long)count * Rows) Throw.Length(nameof(ys), (long)count * Rows, ys.Length);
        if (xs.Overlaps(ys)) Throw.Overlap(nameof(xs), nameof(ys));
    }

    private void Check(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != Cols) Throw.Length(nameof(x), Cols, x.Length);
        if (y.Length != Rows) Throw.Length(nameof(y), Rows, y.Length);
        if (x.Overlaps(y)) Throw.Overlap(nameof(x), nameof(y));
    }

    private void Core(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> bias, bool hasBias, bool accumulate, KernelThreads? threads, int count = 1)
    {
        if (_lanes == 0)
        {
            for (int i = 0; i < count; i++)
            {
                var xi = x.Slice(i * Cols, Cols);
                var yi = y.Slice(i * Rows, Rows);
                if (hasBias) MatVec.MultiplyAddBias(_f32, xi, bias, yi);
                else if (accumulate) MatVec.MultiplyAccumulate(_f32, xi, yi);
                else MatVec.Multiply(_f32, xi, yi);
            }
            return;
        }
        int height = 4 * _lanes;
        int panels = (Rows + height - 1) / height;
        if (threads is null || threads.Count == 1 || panels < 2 || StoredBytes < KernelThreads.MinSplitBytes
            || !threads.TrySplit(this, x, y, accumulate, panels, count))
        {
            Panels(0, panels, x, y, accumulate, count);
        }
        if (hasBias)
        {
            for (int i = 0; i < count; i++)
            {
                var yi = y.Slice(i * Rows, Rows);
                Elementwise.Add(yi, bias, yi);
            }
        }
    }

    /// <summary>
    /// Panels <paramref name="first"/> to <paramref name="end"/> (exclusive) of the product of <paramref name="count"/>
    /// vectors into their rows of <paramref name="y"/>, and nothing else of it.
    /// </summary>
    internal void Panels(int first, int end, ReadOnlySpan<float> x, Span<float> y, bool accumulate, int count)
    {
        if (count == 1) Panels(first, end, x, y, accumulate);
        else PanelsMany(first, end, x, y, accumulate, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private void Panels(int first, int end, ReadOnlySpan<float> x, Span<float> y, bool accumulate)
    {
        int height = 4 * _lanes;
        int fullPanels = Rows / height;
        ref float xr = ref MemoryMarshal.GetReference(x);
        Span<float> tail = stackalloc float[64];
        // The widened block: 16 columns (32 for a q4 group) of one panel; unused for float32.
        Span<float> block = stackalloc float[Storage == MatrixStorage.Float32 ? 0 : Storage == MatrixStorage.Q4 ? 2 * BlockColumns * height : BlockColumns * height];
        ref float br = ref MemoryMarshal.GetReference(block);
        for (int panel = first; panel < end; panel++)
        {
            int row0 = panel * height;
            Span<float> dest = panel < fullPanels ? y.Slice(row0, height) : tail[..height];
            if (panel >= fullPanels)
            {
                tail.Clear();
                if (accumulate) y[row0..].CopyTo(tail);
            }
            switch (_lanes)
            {
                case 16: Panel<Width512, Vector512<float>>(panel, ref xr, ref br, dest, accumulate); break;
                case 8: Panel<Width256, Vector256<float>>(panel, ref xr, ref br, dest, accumulate); break;
                default: Panel<Width128, Vector128<float>>(panel, ref xr, ref br, dest, accumulate); break;
            }
            if (panel >= fullPanels) tail[..(Rows - row0)].CopyTo(y[row0..]);
        }
    }

    // One panel of any storage into y (four vectors of rows). Float32 reads the panel in place; float16 and
    // int8 widen 16 columns at a time into the block buffer and run the same loop over it, so float16 gives
    // the bits float32 gives on the widened weights; int8 scales each row's total once, q4 each group's.
    // Too large to inline into Core, so it is optimized on its own from the first call: left to tiering, a
    // short process (one edge tts sentence) ran its first hundreds of products in unoptimized code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Panel<TWidth, TVector>(int panel, ref float x, ref float block, Span<float> y, bool accumulate)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        nuint n = (nuint)TWidth.Count;
        int height = 4 * TWidth.Count;
        long panelStart = (long)panel * height * Cols;
        ref float yr = ref MemoryMarshal.GetReference(y);
        TVector t0 = default, t1 = default, t2 = default, t3 = default;
        bool scaledAtEnd = Storage is MatrixStorage.Int8 or MatrixStorage.Q4;
        if (accumulate && !scaledAtEnd)
        {
            t0 = TWidth.Load(ref yr, 0); t1 = TWidth.Load(ref yr, n);
            t2 = TWidth.Load(ref yr, 2 * n); t3 = TWidth.Load(ref yr, 3 * n);
        }
        switch (Storage)
        {
            case MatrixStorage.Float32:
            {
                ref float p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_f32), (nint)panelStart);
                for (int start = 0; start < Cols; start += BlockColumns)
                    Block<TWidth, TVector>(ref Unsafe.Add(ref p, (nint)start * height), ref Unsafe.Add(ref x, start), Math.Min(BlockColumns, Cols - start), ref t0, ref t1, ref t2, ref t3);
                break;
            }
            case MatrixStorage.Float16:
            {
                ref Half p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_f16), (nint)panelStart);
                for (int start = 0; start < Cols; start += BlockColumns)
                {
                    int count = Math.Min(BlockColumns, Cols - start);
                    PanelDecoder.Half(ref Unsafe.As<Half, ushort>(ref Unsafe.Add(ref p, (nint)start * height)), ref block, count * height);
                    Block<TWidth, TVector>(ref block, ref Unsafe.Add(ref x, start), count, ref t0, ref t1, ref t2, ref t3);
                }
                break;
            }
            case MatrixStorage.Int8:
            {
                // One vector, so each weight is widened once where it is read (a batch widens a block once into L1 instead).
                ref sbyte p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_i8), (nint)panelStart);
                for (int start = 0; start < Cols; start += BlockColumns)
                    BlockInt8<TWidth, TVector>(ref Unsafe.Add(ref p, (nint)start * height), ref Unsafe.Add(ref x, start), Math.Min(BlockColumns, Cols - start), ref t0, ref t1, ref t2, ref t3);
                ref float s = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scales), panel * height);
                t0 = TWidth.Multiply(t0, TWidth.Load(ref s, 0)); t1 = TWidth.Multiply(t1, TWidth.Load(ref s, n));
                t2 = TWidth.Multiply(t2, TWidth.Load(ref s, 2 * n)); t3 = TWidth.Multiply(t3, TWidth.Load(ref s, 3 * n));
                break;
            }
            default:
            {
                const int g32 = WeightQuantizer.Q4Group;
                int half = g32 / 2 * height;
                ref byte p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_q4), (nint)panel * _groups * half);
                ref float s = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scales), panel * _groups * height);
                for (int g = 0; g < _groups; g++)
                {
                    int start = g * g32, count = Math.Min(g32, Cols - start);
                    PanelDecoder.Q4(ref Unsafe.Add(ref p, (nint)g * half), ref block, half);
                    TVector g0 = default, g1 = default, g2 = default, g3 = default;
                    Block<TWidth, TVector>(ref block, ref Unsafe.Add(ref x, start), Math.Min(BlockColumns, count), ref g0, ref g1, ref g2, ref g3);
                    if (count > BlockColumns)
                        Block<TWidth, TVector>(ref Unsafe.Add(ref block, BlockColumns * height), ref Unsafe.Add(ref x, start + BlockColumns), count - BlockColumns, ref g0, ref g1, ref g2, ref g3);
                    ref float sg = ref Unsafe.Add(ref s, g * height);
                    t0 = TWidth.FusedMultiplyAdd(g0, TWidth.Load(ref sg, 0), t0); t1 = TWidth.FusedMultiplyAdd(g1, TWidth.Load(ref sg, n), t1);
                    t2 = TWidth.FusedMultiplyAdd(g2, TWidth.Load(ref sg, 2 * n), t2); t3 = TWidth.FusedMultiplyAdd(g3, TWidth.Load(ref sg, 3 * n), t3);
                }
                break;
            }
        }
        if (accumulate && scaledAtEnd)
        {
            t0 = TWidth.Add(t0, TWidth.Load(ref yr, 0)); t1 = TWidth.Add(t1, TWidth.Load(ref yr, n));
            t2 = TWidth.Add(t2, TWidth.Load(ref yr, 2 * n)); t3 = TWidth.Add(t3, TWidth.Load(ref yr, 3 * n));
        }
        TWidth.Store(t0, ref yr, 0); TWidth.Store(t1, ref yr, n); TWidth.Store(t2, ref yr, 2 * n); TWidth.Store(t3, ref yr, 3 * n);
    }

    // A batch, panel by panel: up to MaxVectorsPerPass vectors share each widened block of the panel while it is
    // in L1. Each vector keeps its totals in a stack row and goes through exactly the operations Panel applies
    // to one vector, in the same order, so every row has the bits of its own product.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private void PanelsMany(int first, int end, ReadOnlySpan<float> x, Span<float> y, bool accumulate, int count)
    {
        int height = 4 * _lanes;
        bool scaledAtEnd = Storage is MatrixStorage.Int8 or MatrixStorage.Q4;
        Span<float> block = stackalloc float[Storage == MatrixStorage.Float32 ? 0 : Storage == MatrixStorage.Q4 ? 2 * BlockColumns * height : BlockColumns * height];
        Span<float> totals = stackalloc float[MaxVectorsPerPass * height];
        ref float br = ref MemoryMarshal.GetReference(block);
        ref float tr = ref MemoryMarshal.GetReference(totals);
        for (int panel = first; panel < end; panel++)
        {
            int row0 = panel * height, rows = Math.Min(height, Rows - row0);
            for (int v0 = 0; v0 < count; v0 += MaxVectorsPerPass)
            {
                int n = Math.Min(MaxVectorsPerPass, count - v0);
                var t = totals[..(n * height)];
                t.Clear();
                if (accumulate && !scaledAtEnd)
                {
                    for (int i = 0; i < n; i++) y.Slice((v0 + i) * Rows + row0, rows).CopyTo(t.Slice(i * height));
                }
                ref float xr = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)v0 * Cols);
                switch (_lanes)
                {
                    case 16: PanelMany<Width512, Vector512<float>>(panel, ref xr, ref br, ref tr, n); break;
                    case 8: PanelMany<Width256, Vector256<float>>(panel, ref xr, ref br, ref tr, n); break;
                    default: PanelMany<Width128, Vector128<float>>(panel, ref xr, ref br, ref tr, n); break;
                }
                for (int i = 0; i < n; i++)
                {
                    var yi = y.Slice((v0 + i) * Rows + row0, rows);
                    var ti = t.Slice(i * height, rows);
                    if (accumulate && scaledAtEnd) Elementwise.Add(ti, yi, yi);
                    else ti.CopyTo(yi);
                }
            }
        }
    }

    // One panel for n vectors (x_i at x + i · Cols, totals_i at t + i · height, already holding y_i when a
    // float32 or float16 product accumulates, zeros otherwise).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PanelMany<TWidth, TVector>(int panel, ref float x, ref float block, ref float t, int n)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        int height = 4 * TWidth.Count;
        long panelStart = (long)panel * height * Cols;
        switch (Storage)
        {
            case MatrixStorage.Float32:
            {
                ref float p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_f32), (nint)panelStart);
                for (int start = 0; start < Cols; start += BlockColumns)
                    BlockMany<TWidth, TVector>(ref Unsafe.Add(ref p, (nint)start * height), ref x, start, Math.Min(BlockColumns, Cols - start), ref t, n);
                break;
            }
            case MatrixStorage.Float16:
            {
                ref Half p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_f16), (nint)panelStart);
                for (int start = 0; start < Cols; start += BlockColumns)
                {
                    int count = Math.Min(BlockColumns, Cols - start);
                    PanelDecoder.Half(ref Unsafe.As<Half, ushort>(ref Unsafe.Add(ref p, (nint)start * height)), ref block, count * height);
                    BlockMany<TWidth, TVector>(ref block, ref x, start, count, ref t, n);
                }
                break;
            }
            case MatrixStorage.Int8:
            {
                ref sbyte p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_i8), (nint)panelStart);
                for (int start = 0; start < Cols; start += BlockColumns)
                {
                    int count = Math.Min(BlockColumns, Cols - start);
                    PanelDecoder.Int8(ref Unsafe.Add(ref p, (nint)start * height), ref block, count * height);
                    BlockMany<TWidth, TVector>(ref block, ref x, start, count, ref t, n);
                }
                ref float s = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scales), panel * height);
                nuint w = (nuint)TWidth.Count;
                for (int i = 0; i < n; i++)
                {
                    ref float ti = ref Unsafe.Add(ref t, i * height);
                    for (nuint k = 0; k < 4; k++)
                        TWidth.Store(TWidth.Multiply(TWidth.Load(ref ti, k * w), TWidth.Load(ref s, k * w)), ref ti, k * w);
                }
                break;
            }
            default:
            {
                const int g32 = WeightQuantizer.Q4Group;
                int half = g32 / 2 * height;
                nuint w = (nuint)TWidth.Count;
                ref byte p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_q4), (nint)panel * _groups * half);
                ref float s = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scales), panel * _groups * height);
                for (int g = 0; g < _groups; g++)
                {
                    int start = g * g32, count = Math.Min(g32, Cols - start);
                    PanelDecoder.Q4(ref Unsafe.Add(ref p, (nint)g * half), ref block, half);
                    ref float sg = ref Unsafe.Add(ref s, g * height);
                    for (int i = 0; i < n; i++)
                    {
                        ref float xi = ref Unsafe.Add(ref x, (nint)i * Cols + start);
                        TVector g0 = default, g1 = default, g2 = default, g3 = default;
                        Block<TWidth, TVector>(ref block, ref xi, Math.Min(BlockColumns, count), ref g0, ref g1, ref g2, ref g3);
                        if (count > BlockColumns)
                            Block<TWidth, TVector>(ref Unsafe.Add(ref block, BlockColumns * height), ref Unsafe.Add(ref xi, BlockColumns), count - BlockColumns, ref g0, ref g1, ref g2, ref g3);
                        ref float ti = ref Unsafe.Add(ref t, i * height);
                        TWidth.Store(TWidth.FusedMultiplyAdd(g0, TWidth.Load(ref sg, 0), TWidth.Load(ref ti, 0)), ref ti, 0);
                        TWidth.Store(TWidth.FusedMultiplyAdd(g1, TWidth.Load(ref sg, w), TWidth.Load(ref ti, w)), ref ti, w);
                        TWidth.Store(TWidth.FusedMultiplyAdd(g2, TWidth.Load(ref sg, 2 * w), TWidth.Load(ref ti, 2 * w)), ref ti, 2 * w);
                        TWidth.Store(TWidth.FusedMultiplyAdd(g3, TWidth.Load(ref sg, 3 * w), TWidth.Load(ref ti, 3 * w)), ref ti, 3 * w);
                    }
                }
                break;
            }
        }
    }

    // One block of columns (from column `start`) for n vectors, each vector's totals loaded from and stored to its row.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BlockMany<TWidth, TVector>(ref float p, ref float x, int start, int count, ref float t, int n)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        nuint w = (nuint)TWidth.Count;
        int height = 4 * TWidth.Count;
        for (int i = 0; i < n; i++)
        {
            ref float ti = ref Unsafe.Add(ref t, i * height);
            TVector t0 = TWidth.Load(ref ti, 0), t1 = TWidth.Load(ref ti, w), t2 = TWidth.Load(ref ti, 2 * w), t3 = TWidth.Load(ref ti, 3 * w);
            Block<TWidth, TVector>(ref p, ref Unsafe.Add(ref x, (nint)i * Cols + start), count, ref t0, ref t1, ref t2, ref t3);
            TWidth.Store(t0, ref ti, 0); TWidth.Store(t1, ref ti, w); TWidth.Store(t2, ref ti, 2 * w); TWidth.Store(t3, ref ti, 3 * w);
        }
    }

    // Up to 16 columns of a panel (column c at p + c · 4 · Count), summed in two interleaved chains (even,
    // odd) and then added to the totals: every running sum is at most 8 terms long before it joins the next
    // level, which keeps the rounding near that of a pairwise sum (a single serial sum per row over 1024
    // columns is not).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TWidth, TVector>(ref float p, ref float x, int count, ref TVector t0, ref TVector t1, ref TVector t2, ref TVector t3)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct =>
        Columns<TWidth, TVector, float, Float32Columns<TWidth, TVector>>(ref p, ref x, count, ref t0, ref t1, ref t2, ref t3);

    // Block's loop over an int8 panel (column c at p + c · 4 · Count bytes), each weight widened to float32 in the
    // register the multiply-add reads: the same operations in the same order as Block on the widened weights, so
    // the same bits, without the round trip through the L1 block buffer; the panel ahead is prefetched.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlockInt8<TWidth, TVector>(ref sbyte p, ref float x, int count, ref TVector t0, ref TVector t1, ref TVector t2, ref TVector t3)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct =>
        Columns<TWidth, TVector, sbyte, Int8Columns<TWidth, TVector>>(ref p, ref x, count, ref t0, ref t1, ref t2, ref t3);

    // How Columns reads a vector of one column's weights from a panel stored as TElement.
    private interface IColumnLoad<TElement, TVector> where TVector : struct
    {
        static abstract TVector Load(ref TElement panel, nuint index);

        static abstract bool Prefetch { get; }
    }

    private readonly struct Float32Columns<TWidth, TVector> : IColumnLoad<float, TVector>
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Load(ref float panel, nuint index) => TWidth.Load(ref panel, index);

        public static bool Prefetch => false;   // a float32 panel streams fast enough from the hardware prefetcher alone
    }

    private readonly struct Int8Columns<TWidth, TVector> : IColumnLoad<sbyte, TVector>
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Load(ref sbyte panel, nuint index) => TWidth.LoadInt8(ref panel, index);

        public static bool Prefetch => System.Runtime.Intrinsics.X86.Sse.IsSupported;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns<TWidth, TVector, TElement, TLoad>(ref TElement p, ref float x, int count, ref TVector t0, ref TVector t1, ref TVector t2, ref TVector t3)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
        where TLoad : IColumnLoad<TElement, TVector>
    {
        nuint n = (nuint)TWidth.Count;
        nint column = 4 * TWidth.Count;
        TVector a0 = default, a1 = default, a2 = default, a3 = default;
        TVector b0 = default, b1 = default, b2 = default, b3 = default;
        int c = 0;
        for (; c + 1 < count; c += 2)
        {
            var xa = TWidth.Broadcast(Unsafe.Add(ref x, c));
            var xb = TWidth.Broadcast(Unsafe.Add(ref x, c + 1));
            ref TElement pa = ref Unsafe.Add(ref p, c * column);
            if (TLoad.Prefetch)
            {
                unsafe
                {
                    // Two columns of int8 are 8 · Count bytes: two cache lines at 512 bits.
                    byte* ahead = (byte*)Unsafe.AsPointer(ref pa) + PrefetchDistance;
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(ahead);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(ahead + 64);
                }
            }
            a0 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 0), xa, a0);
            a1 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, n), xa, a1);
            a2 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 2 * n), xa, a2);
            a3 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 3 * n), xa, a3);
            b0 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 4 * n), xb, b0);
            b1 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 5 * n), xb, b1);
            b2 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 6 * n), xb, b2);
            b3 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 7 * n), xb, b3);
        }
        if (c < count)
        {
            var xa = TWidth.Broadcast(Unsafe.Add(ref x, c));
            ref TElement pa = ref Unsafe.Add(ref p, c * column);
            a0 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 0), xa, a0);
            a1 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, n), xa, a1);
            a2 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 2 * n), xa, a2);
            a3 = TWidth.FusedMultiplyAdd(TLoad.Load(ref pa, 3 * n), xa, a3);
        }
        t0 = TWidth.Add(t0, TWidth.Add(a0, b0)); t1 = TWidth.Add(t1, TWidth.Add(a1, b1));
        t2 = TWidth.Add(t2, TWidth.Add(a2, b2)); t3 = TWidth.Add(t3, TWidth.Add(a3, b3));
    }
}
