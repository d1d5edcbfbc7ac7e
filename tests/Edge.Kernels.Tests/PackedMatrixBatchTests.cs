using Edge.Kernels;

namespace Edge.Kernels.Tests;

/// <summary>
/// A batch of vectors through one matrix (<see cref="PackedMatrix.MultiplyMany"/>): what StreamBatch relies on to
/// step many streams with one read of the weights and still give each stream the bits it gets alone.
/// </summary>
public class PackedMatrixBatchTests
{
    public static IEnumerable<object[]> PathsAndStorages() =>
        from p in SimdPaths.Available()
        from s in new[] { MatrixStorage.Float32, MatrixStorage.Float16, MatrixStorage.Int8, MatrixStorage.Q4 }
        select new object[] { (int)p, s };

    [Theory]
    [MemberData(nameof(PathsAndStorages))]
    public void Every_vector_of_a_batch_gets_the_bits_of_its_own_product(int pathBits, MatrixStorage storage)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(11);
        // Row-major (fewer rows than a panel), one panel, partial last panels; columns below, at and above a 16-column
        // block and a 32-column group; batches of 1, 2, 5, a full pass of 64 and one past it.
        foreach (int rows in new[] { 3, 16, 33, 100 })
        {
            foreach (int cols in new[] { 1, 16, 33, 70 })
            {
                foreach (int count in new[] { 1, 2, 5, PackedMatrix.MaxVectorsPerPass, PackedMatrix.MaxVectorsPerPass + 1 })
                {
                    var w = Random(rng, rows * cols);
                    var bias = Random(rng, rows);
                    var xs = Random(rng, count * cols);
                    var start = Random(rng, count * rows);
                    var m = PackedMatrix.Pack(w, rows, cols, path, storage);
                    var many = new float[count * rows];
                    var manyBias = new float[count * rows];
                    var manyAcc = (float[])start.Clone();
                    m.MultiplyMany(xs, many, count);
                    m.MultiplyAddBiasMany(xs, bias, manyBias, count);
                    m.MultiplyAccumulateMany(xs, manyAcc, count);
                    for (int i = 0; i < count; i++)
                    {
                        var x = xs.AsSpan(i * cols, cols);
                        var one = new float[rows];
                        var oneBias = new float[rows];
                        var oneAcc = start.AsSpan(i * rows, rows).ToArray();
                        m.Multiply(x, one);
                        m.MultiplyAddBias(x, bias, oneBias);
                        m.MultiplyAccumulate(x, oneAcc);
                        string at = $"{path} {storage} {rows}x{cols}, batch of {count}, vector {i}";
                        Assert.True(one.AsSpan().SequenceEqual(many.AsSpan(i * rows, rows)), at);
                        Assert.True(oneBias.AsSpan().SequenceEqual(manyBias.AsSpan(i * rows, rows)), at + " with bias");
                        Assert.True(oneAcc.AsSpan().SequenceEqual(manyAcc.AsSpan(i * rows, rows)), at + " accumulated");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(MatrixStorage.Float32)]
    [InlineData(MatrixStorage.Int8)]
    [InlineData(MatrixStorage.Q4)]
    public void A_batch_split_across_threads_gives_the_bits_of_one_thread(MatrixStorage storage)
    {
        var rng = new Random(12);
        const int rows = 1024, cols = 512, count = 9;   // 2 MB of float32 weights: above the split threshold
        var m = PackedMatrix.Pack(Random(rng, rows * cols), rows, cols, storage);
        var xs = Random(rng, count * cols);
        var alone = new float[count * rows];
        m.MultiplyMany(xs, alone, count);
        foreach (int n in new[] { 2, 3 })
        {
            using var threads = new KernelThreads(n);
            var split = new float[count * rows];
            long before = threads.SplitProducts;
            m.MultiplyMany(xs, split, count, threads);
            // Without SIMD a float32 matrix stays row-major and never splits (DOTNET_EnableHWIntrinsic=0 in CI); the bits hold either way.
            bool panels = storage != MatrixStorage.Float32 || System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated;
            Assert.Equal(panels, threads.SplitProducts > before);
            Assert.True(alone.AsSpan().SequenceEqual(split), $"{storage} on {n} threads");
        }
    }

    [Fact]
    public void A_batch_allocates_nothing()
    {
        var rng = new Random(13);
        var m = PackedMatrix.Pack(Random(rng, 256 * 128), 256, 128, MatrixStorage.Int8);
        var xs = Random(rng, 70 * 128);
        var ys = new float[70 * 256];
        m.MultiplyMany(xs, ys, 70);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) m.MultiplyAccumulateMany(xs, ys, 70);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Wrong_batch_lengths_are_refused()
    {
        var m = PackedMatrix.Pack(new float[128 * 8], 128, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.MultiplyMany(new float[8], new float[128], 0));
        Assert.Throws<ArgumentException>(() => m.MultiplyMany(new float[8 * 3], new float[128 * 2], 2));
        Assert.Throws<ArgumentException>(() => m.MultiplyMany(new float[8 * 2], new float[128 * 3], 2));
        Assert.Throws<ArgumentException>(() => m.MultiplyAddBiasMany(new float[16], new float[127], new float[256], 2));
        var shared = new float[1024];
        Assert.Throws<ArgumentException>(() => m.MultiplyMany(shared.AsSpan(0, 16), shared.AsSpan(8, 256), 2));
    }

    private static float[] Random(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }
}
