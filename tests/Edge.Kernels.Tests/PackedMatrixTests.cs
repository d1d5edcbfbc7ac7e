using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class PackedMatrixTests
{
    public static IEnumerable<object[]> Paths() => SimdPaths.Available().Select(p => new object[] { (int)p });

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_simd_path_matches_double_reference_for_rows_1_to_256(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(3);
        // Every row count 1..256 (panels of 16, 32 or 64 rows and every partial last panel), columns cycling through
        // odd and even counts below and above one 16-column block.
        foreach (int rows in Enumerable.Range(1, 256))
        {
            foreach (int cols in new[] { 1 + rows % 7, 9 + (rows * 5) % 40 })
            {
                var w = new float[rows * cols];
                for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 2 - 1);
                var x = new float[cols];
                for (int i = 0; i < cols; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
                var b = new float[rows];
                for (int i = 0; i < rows; i++) b[i] = (float)rng.NextDouble();
                var m = PackedMatrix.Pack(w, rows, cols, path);
                var y = new float[rows];
                var yb = new float[rows];
                var ya = (float[])b.Clone();
                m.Multiply(x, y);
                m.MultiplyAddBias(x, b, yb);
                m.MultiplyAccumulate(x, ya);
                for (int r = 0; r < rows; r++)
                {
                    double e = 0;
                    for (int c = 0; c < cols; c++) e += (double)w[r * cols + c] * x[c];
                    Assert.True(Math.Abs(y[r] - e) <= 1e-5 * Math.Sqrt(cols) + 1e-6, $"{path} {rows}x{cols} row {r}: {y[r]} vs {e}");
                    Assert.True(Math.Abs(yb[r] - (e + b[r])) <= 1e-5 * Math.Sqrt(cols) + 1e-6, $"{path} {rows}x{cols} row {r} with bias");
                    Assert.True(Math.Abs(ya[r] - (e + b[r])) <= 1e-5 * Math.Sqrt(cols) + 1e-6, $"{path} {rows}x{cols} row {r} accumulated");
                }
            }
        }
    }

    public static IEnumerable<object[]> PathsAndStorages() =>
        from p in SimdPaths.Available()
        from s in new[] { MatrixStorage.Float16, MatrixStorage.Int8, MatrixStorage.Q4 }
        select new object[] { (int)p, s };

    // The weights each storage keeps, widened back: what its products must compute to float32 rounding.
    private static float[] Rounded(float[] w, int rows, int cols, MatrixStorage storage)
    {
        var r = new float[w.Length];
        for (int row = 0; row < rows; row++)
        {
            var src = w.AsSpan(row * cols, cols);
            switch (storage)
            {
                case MatrixStorage.Float16:
                    for (int c = 0; c < cols; c++) r[row * cols + c] = (float)(Half)src[c];
                    break;
                case MatrixStorage.Int8:
                {
                    float s = WeightQuantizer.Int8Scale(src);
                    for (int c = 0; c < cols; c++) r[row * cols + c] = WeightQuantizer.Int8(src[c], s) * s;
                    break;
                }
                default:
                    for (int g = 0; g < cols; g += WeightQuantizer.Q4Group)
                    {
                        var part = src.Slice(g, Math.Min(WeightQuantizer.Q4Group, cols - g));
                        float s = WeightQuantizer.Q4Scale(part);
                        for (int c = 0; c < part.Length; c++) r[row * cols + g + c] = (WeightQuantizer.Q4(part[c], s) - 8) * s;
                    }
                    break;
            }
        }
        return r;
    }

    [Theory]
    [InlineData(MatrixStorage.Float16)]
    [InlineData(MatrixStorage.Int8)]
    [InlineData(MatrixStorage.Q4)]
    public void A_reduced_matrix_shorter_than_the_widest_panel_stays_reduced_in_a_narrower_one(MatrixStorage storage)
    {
        // 48 rows: under the 64 of a 512-bit panel; an AVX-512 machine packs it in 256-bit panels, as an AVX2 one does.
        var rng = new Random(11);
        var w = new float[48 * 40];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 2 - 1);
        var m = PackedMatrix.Pack(w, 48, 40, storage);
        Assert.Equal(storage, m.Storage);
        Assert.True(4 * (int)m.Path / 32 <= 48 || m.Path == SimdPath.Scalar, $"{m.Path}");
        Assert.True(m.StoredBytes < 4L * w.Length, $"{m.StoredBytes} bytes for {w.Length} weights");
        // Fewer rows than the narrowest panel (16): float32, row-major, whatever was asked.
        Assert.Equal(MatrixStorage.Float32, PackedMatrix.Pack(new float[8 * 40], 8, 40, storage).Storage);
        Assert.Equal(SimdPath.V256 <= SimdPaths.Best ? SimdPath.V256 : SimdPaths.Best, SimdPaths.WidestPanelFor(48));
        Assert.Equal(SimdPaths.Best, SimdPaths.WidestPanelFor(4096));
    }

    [Theory]
    [MemberData(nameof(PathsAndStorages))]
    public void Reduced_storages_compute_their_rounded_weights_on_every_path(int pathBits, MatrixStorage storage)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(5);
        // Rows across one to four panels and partial ones; columns below, at and above a 16-column block and a 32-column group.
        foreach (int rows in new[] { 16, 17, 33, 64, 65, 100, 129, 200 })
        {
            foreach (int cols in new[] { 1, 7, 16, 31, 32, 33, 70, 128 })
            {
                var w = new float[rows * cols];
                for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 2 - 1);
                var x = new float[cols];
                for (int i = 0; i < cols; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
                var b = new float[rows];
                for (int i = 0; i < rows; i++) b[i] = (float)rng.NextDouble();
                var m = PackedMatrix.Pack(w, rows, cols, path, storage);
                int height = 4 * Math.Max(4, path switch { SimdPath.V512 => 16, SimdPath.V256 => 8, SimdPath.V128 => 4, _ => 0 });
                Assert.Equal(rows < height ? MatrixStorage.Float32 : storage, m.Storage);
                var kept = m.Storage == MatrixStorage.Float32 ? w : Rounded(w, rows, cols, storage);
                var y = new float[rows];
                var yb = new float[rows];
                var ya = (float[])b.Clone();
                m.Multiply(x, y);
                m.MultiplyAddBias(x, b, yb);
                m.MultiplyAccumulate(x, ya);
                for (int r = 0; r < rows; r++)
                {
                    double e = 0, exact = 0;
                    for (int c = 0; c < cols; c++)
                    {
                        e += (double)kept[r * cols + c] * x[c];
                        exact += (double)w[r * cols + c] * x[c];
                    }
                    double tol = 1e-5 * Math.Sqrt(cols) + 1e-6;
                    Assert.True(Math.Abs(y[r] - e) <= tol, $"{path} {storage} {rows}x{cols} row {r}: {y[r]} vs {e}");
                    Assert.True(Math.Abs(yb[r] - (e + b[r])) <= tol, $"{path} {storage} {rows}x{cols} row {r} with bias");
                    Assert.True(Math.Abs(ya[r] - (e + b[r])) <= tol, $"{path} {storage} {rows}x{cols} row {r} accumulated");
                    // The rounding itself: half an integer step per weight at most (1/254 of the row's range for int8, 1/16 of a group's for q4).
                    double bound = storage switch { MatrixStorage.Float16 => 1e-3, MatrixStorage.Int8 => 0.5 / 127, _ => 0.5 / 8 } * cols;
                    Assert.True(Math.Abs(y[r] - exact) <= bound + tol, $"{path} {storage} {rows}x{cols} row {r}: {y[r]} vs exact {exact}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Float16_storage_gives_the_float32_bits_of_its_widened_weights(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(9);
        int rows = 130, cols = 75;
        var w = new float[rows * cols];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(Half)(float)(rng.NextDouble() * 2 - 1);
        var x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var half = PackedMatrix.Pack(w, rows, cols, path, MatrixStorage.Float16);
        var single = PackedMatrix.Pack(w, rows, cols, path == SimdPath.Scalar ? SimdPath.V128 : path);
        var a = new float[rows];
        var b = new float[rows];
        half.Multiply(x, a);
        single.Multiply(x, b);
        Assert.Equal(b, a);
        Assert.Equal(single.StoredBytes / 2, half.StoredBytes);
    }

    [Fact]
    public void Every_finite_float16_widens_to_its_exact_float32()
    {
        // All 63,488 finite bit patterns (zeros, subnormals, normals, both signs): the in-register widening
        // must give the bits of the runtime's own conversion.
        var halves = Enumerable.Range(0, 65536).Select(i => (ushort)i).Where(b => (b & 0x7C00) != 0x7C00).ToArray();
        Assert.Equal(63_488, halves.Length);
        var widened = new float[halves.Length];
        PanelDecoder.Half(ref halves[0], ref widened[0], halves.Length);
        for (int i = 0; i < halves.Length; i++)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf(halves[i]);
            Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(widened[i]),
                $"half 0x{halves[i]:X4}: {widened[i]} instead of {expected}");
        }
    }

    [Fact]
    public void Reduced_storages_hold_a_half_a_quarter_and_five_thirty_seconds_of_the_bytes()
    {
        int rows = 256, cols = 512;
        var w = new float[rows * cols];
        for (int i = 0; i < w.Length; i++) w[i] = MathF.Sin(i);
        long f32 = PackedMatrix.Pack(w, rows, cols).StoredBytes;
        Assert.Equal(4L * rows * cols, f32);
        Assert.Equal(2L * rows * cols, PackedMatrix.Pack(w, rows, cols, MatrixStorage.Float16).StoredBytes);
        Assert.Equal(rows * cols + 4L * rows, PackedMatrix.Pack(w, rows, cols, MatrixStorage.Int8).StoredBytes);
        Assert.Equal(rows * cols / 2 + 4L * rows * cols / 32, PackedMatrix.Pack(w, rows, cols, MatrixStorage.Q4).StoredBytes);
    }

    [Fact]
    public void Float16_refuses_weights_beyond_its_range()
    {
        var w = new float[64 * 4];
        w[5] = 70000f;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PackedMatrix.Pack(w, 64, 4, MatrixStorage.Float16));
        Assert.Contains("70000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_lengths_are_refused()
    {
        var m = PackedMatrix.Pack(new float[128 * 8], 128, 8);
        Assert.Throws<ArgumentException>(() => m.Multiply(new float[7], new float[128]));
        Assert.Throws<ArgumentException>(() => m.Multiply(new float[8], new float[127]));
        Assert.Throws<ArgumentException>(() => m.MultiplyAddBias(new float[8], new float[3], new float[128]));
        Assert.Throws<ArgumentException>(() => PackedMatrix.Pack(new float[10], 128, 8));
    }
}
