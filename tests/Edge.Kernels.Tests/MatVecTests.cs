using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class MatVecTests
{
    // Reference in double: the kernel's float result must be within rounding of it.
    private static double[] Reference(float[] w, float[] x, int rows)
    {
        int cols = x.Length;
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int c = 0; c < cols; c++) s += (double)w[r * cols + c] * x[c];
            y[r] = s;
        }
        return y;
    }

    private static float[] Random(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    public static IEnumerable<object[]> Paths() => SimdPaths.Available().Select(p => new object[] { (int)p });

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_simd_path_matches_double_reference_for_every_length_1_to_256(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(42);
        foreach (int cols in Enumerable.Range(1, 256))
        {
            int rows = 1 + (cols * 7) % 11;   // 1..11 rows: covers the 4-row blocks and their remainders
            var w = Random(rng, rows * cols);
            var x = Random(rng, cols);
            var y = new float[rows];
            MatVec.Multiply(w, x, y, path);
            var expected = Reference(w, x, rows);
            for (int r = 0; r < rows; r++)
                Assert.True(Math.Abs(y[r] - expected[r]) <= 1e-5 * Math.Sqrt(cols) + 1e-6,
                    $"path {path} cols {cols} row {r}: {y[r]} vs {expected[r]}");
        }
    }

    [Fact]
    public void Bias_and_accumulate_forms_add_to_the_product()
    {
        var rng = new Random(7);
        var w = Random(rng, 13 * 37);
        var x = Random(rng, 37);
        var b = Random(rng, 13);
        var plain = new float[13];
        MatVec.Multiply(w, x, plain);
        var withBias = new float[13];
        MatVec.MultiplyAddBias(w, x, b, withBias);
        var acc = (float[])b.Clone();
        MatVec.MultiplyAccumulate(w, x, acc);
        for (int i = 0; i < 13; i++)
        {
            Assert.Equal(plain[i] + b[i], withBias[i], 5);
            Assert.Equal(withBias[i], acc[i], 6);
        }
    }

    [Fact]
    public void Wrong_lengths_and_overlap_are_refused()
    {
        var w = new float[12];
        Assert.Throws<ArgumentException>(() => MatVec.Multiply(w, new float[4], new float[4]));
        var buf = new float[8];
        Assert.Throws<ArgumentException>(() => MatVec.Multiply(new float[16], buf.AsSpan(0, 4), buf.AsSpan(2, 4)));
    }

    [Fact]
    public void The_best_path_is_the_widest_the_hardware_accelerates()
    {
        Assert.Contains(SimdPaths.Best, SimdPaths.Available());
        Assert.Equal(SimdPaths.Available().Max(), SimdPaths.Best);
    }
}
