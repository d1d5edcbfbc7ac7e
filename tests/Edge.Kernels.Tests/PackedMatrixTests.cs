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
