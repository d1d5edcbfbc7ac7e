using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class KernelThreadsTests
{
    public static IEnumerable<object[]> PathsAndStorages() =>
        from p in SimdPaths.Available()
        from s in new[] { MatrixStorage.Float32, MatrixStorage.Float16, MatrixStorage.Int8, MatrixStorage.Q4 }
        select new object[] { (int)p, s };

    // 1003 rows: a partial last panel at every panel height; 1100 columns: a partial 16-column block and 32-column group.
    // Even at 4 bits the matrix is above KernelThreads.MinSplitBytes, so every product below is split.
    private const int Rows = 1003, Cols = 1100;

    private static float[] Random(int n, int seed, float offset = -1)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = offset + 2 * rng.NextSingle();
        return v;
    }

    [Theory]
    [MemberData(nameof(PathsAndStorages))]
    public void A_product_split_across_threads_has_the_bits_of_one_thread(int pathBits, MatrixStorage storage)
    {
        var m = PackedMatrix.Pack(Random(Rows * Cols, 1), Rows, Cols, (SimdPath)pathBits, storage);
        Assert.Equal(storage, m.Storage);
        Assert.True(m.StoredBytes >= KernelThreads.MinSplitBytes);
        var x = Random(Cols, 2);
        var bias = Random(Rows, 3);
        var one = new float[Rows];
        var oneBias = new float[Rows];
        var oneAcc = (float[])bias.Clone();
        m.Multiply(x, one);
        m.MultiplyAddBias(x, bias, oneBias);
        m.MultiplyAccumulate(x, oneAcc);
        foreach (int n in new[] { 2, 3, 4, 7 })
        {
            using var threads = new KernelThreads(n);
            for (int round = 0; round < 5; round++)   // the panels land on different threads each time
            {
                var y = new float[Rows];
                var yBias = new float[Rows];
                var yAcc = (float[])bias.Clone();
                m.Multiply(x, y, threads);
                m.MultiplyAddBias(x, bias, yBias, threads);
                m.MultiplyAccumulate(x, yAcc, threads);
                Assert.Equal(Bits(one), Bits(y));
                Assert.Equal(Bits(oneBias), Bits(yBias));
                Assert.Equal(Bits(oneAcc), Bits(yAcc));
            }
            // Without SIMD a float32 matrix stays row-major (MatVec), which is never split.
            Assert.Equal((SimdPath)pathBits == SimdPath.Scalar && storage == MatrixStorage.Float32 ? 0 : 15, threads.SplitProducts);
        }
    }

    [Fact]
    public void Small_products_and_single_panel_matrices_stay_on_the_calling_thread()
    {
        using var threads = new KernelThreads(2);
        var small = PackedMatrix.Pack(Random(256 * 64, 4), 256, 64);        // 64 KB
        var rowMajor = PackedMatrix.RowMajor(Random(4000 * 100, 5), 4000, 100);
        small.Multiply(Random(64, 6), new float[256], threads);
        rowMajor.Multiply(Random(100, 7), new float[4000], threads);
        Assert.Equal(0, threads.SplitProducts);
    }

    [Fact]
    public void Split_products_allocate_nothing_on_any_thread()
    {
        var m = PackedMatrix.Pack(Random(Rows * Cols, 8), Rows, Cols, MatrixStorage.Int8);
        var x = Random(Cols, 9);
        var y = new float[Rows];
        using var threads = new KernelThreads(3);
        for (int i = 0; i < 50; i++) m.Multiply(x, y, threads);   // warm up the JIT on every thread
        long before = GC.GetAllocatedBytesForCurrentThread(), workersBefore = threads.WorkerAllocatedBytes;
        for (int i = 0; i < 500; i++)
        {
            x[i % Cols] = i * 1e-3f;
            m.MultiplyAccumulate(x, y, threads);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, threads.WorkerAllocatedBytes - workersBefore);
        Assert.Equal(550, threads.SplitProducts);
    }

    [Fact]
    public void Thousands_of_products_back_to_back_each_wait_for_every_worker()
    {
        // A worker's completion signal can arrive after its product has returned; it must not end the next
        // product's wait early (a CI run crashed on a worker that found the product gone). More threads than
        // this machine's cores makes the preemption that exposes it likely.
        const int rows = 520, cols = 256;   // just over the size the pool splits, so each product is short
        var m = PackedMatrix.Pack(Random(rows * cols, 15), rows, cols, MatrixStorage.Float16);
        Assert.True(m.StoredBytes >= KernelThreads.MinSplitBytes);
        var x = Random(cols, 16);
        var expected = new float[rows];
        m.Multiply(x, expected);
        using var threads = new KernelThreads(Math.Max(3, Environment.ProcessorCount + 1));
        var y = new float[rows];
        for (int i = 0; i < 2000; i++)
        {
            Array.Clear(y);
            m.Multiply(x, y, threads);
            if (i % 100 == 0) Assert.Equal(Bits(expected), Bits(y));
        }
        Assert.Equal(Bits(expected), Bits(y));
        Assert.Equal(2000, threads.SplitProducts);
    }

    [Fact]
    public void Dispose_stops_every_worker_and_later_products_run_on_the_calling_thread()
    {
        // Float16 is kept in panels on every path (float32 without SIMD stays row-major, which never splits).
        var m = PackedMatrix.Pack(Random(Rows * Cols, 10), Rows, Cols, MatrixStorage.Float16);
        var x = Random(Cols, 11);
        var expected = new float[Rows];
        m.Multiply(x, expected);
        var threads = new KernelThreads(4);
        Assert.Equal(3, threads.WorkersAlive);
        m.Multiply(x, new float[Rows], threads);
        threads.Dispose();
        Assert.Equal(0, threads.WorkersAlive);
        threads.Dispose();   // twice is harmless
        var y = new float[Rows];
        m.Multiply(x, y, threads);
        Assert.Equal(Bits(expected), Bits(y));
        Assert.Equal(1, threads.SplitProducts);
    }

    [Fact]
    public void Products_from_two_threads_at_once_each_get_their_own_result()
    {
        var m = PackedMatrix.Pack(Random(Rows * Cols, 12), Rows, Cols);
        var xs = new[] { Random(Cols, 13), Random(Cols, 14) };
        var expected = xs.Select(x => { var y = new float[Rows]; m.Multiply(x, y); return Bits(y); }).ToArray();
        using var threads = new KernelThreads(2);
        var results = new int[2][][];
        Parallel.For(0, 2, k =>
        {
            results[k] = new int[300][];
            for (int i = 0; i < 300; i++)
            {
                var y = new float[Rows];
                m.Multiply(xs[k], y, threads);
                results[k][i] = Bits(y);
            }
        });
        for (int k = 0; k < 2; k++)
            foreach (var r in results[k]) Assert.Equal(expected[k], r);
    }

    // Counts each row's runs and the threads that ran rows.
    private sealed class CountingRows(int rows) : IRowWork
    {
        public readonly int[] Runs = new int[rows];
        public readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> Threads = new();

        public void Run(int row)
        {
            Interlocked.Increment(ref Runs[row]);
            Threads.TryAdd(Environment.CurrentManagedThreadId, true);
            Thread.SpinWait(20_000);   // long enough that a worker takes some rows
        }
    }

    [Fact]
    public void Rows_are_shared_among_the_threads_each_run_once_and_a_lone_thread_runs_none()
    {
        using var threads = new KernelThreads(3);
        long products = threads.SplitProducts;
        var work = new CountingRows(64);
        for (int round = 1; round <= 200; round++)
        {
            Assert.True(threads.TryRunRows(work, 64));
            Assert.All(work.Runs, n => Assert.Equal(round, n));   // every row once a call, all done when it returns
        }
        Assert.True(work.Threads.Count > 1, "no worker ran a row");
        Assert.Equal(products, threads.SplitProducts);

        using var one = new KernelThreads(1);
        var none = new CountingRows(8);
        Assert.False(one.TryRunRows(none, 8));   // the caller runs them
        Assert.False(threads.TryRunRows(none, 1));
        threads.Dispose();
        Assert.False(threads.TryRunRows(none, 8));
        Assert.All(none.Runs, n => Assert.Equal(0, n));
    }

    [Fact]
    public void Thread_counts_outside_1_to_256_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelThreads(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelThreads(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelThreads(KernelThreads.MaxThreads + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelThreads(2, spinCount: -1));
        using var one = new KernelThreads(1);
        Assert.Equal(0, one.WorkersAlive);
    }

    private static int[] Bits(float[] v) => [.. v.Select(BitConverter.SingleToInt32Bits)];
}
