namespace Edge.Kernels;

/// <summary>
/// The threads one step's large matrix products are split across (<c>--threads N</c>): the calling thread and
/// <c>N − 1</c> workers started once, here, and kept for the pool's life. A product given to
/// <see cref="PackedMatrix.Multiply(ReadOnlySpan{float}, Span{float}, KernelThreads?)"/> hands out its row
/// panels in chunks to whichever thread is free; each panel is computed exactly as on one thread and written
/// only by the thread that computed it, so the result has the same bits at any thread count. Splitting starts
/// no thread and allocates nothing. Between products the workers block (no spinning) unless
/// <see cref="SpinCount"/> asks them to spin that many short rounds first.
/// </summary>
/// <remarks>
/// One product is split at a time: a product started on another thread while one is being split (two streams
/// of one model stepped at once) runs on its own thread alone, with the same result. Products that read fewer
/// than <see cref="MinSplitBytes"/> of weights, or matrices of one panel, always run on the calling thread:
/// waking a worker costs more than they take. After <see cref="Dispose"/> every product runs on its calling thread.
/// </remarks>
public sealed unsafe class KernelThreads : IDisposable
{
    /// <summary>The most threads a pool may have.</summary>
    public const int MaxThreads = 256;

    /// <summary>Products reading fewer bytes of weights than this run on the calling thread (waking a worker costs a few µs).</summary>
    public const long MinSplitBytes = 256 * 1024;

    /// <summary>A step reading at least this many bytes of weights gets threads when none are asked for (<see cref="Automatic"/>): far beyond any cache, it is bound by memory bandwidth, which a second core adds to.</summary>
    public const long AutomaticFromBytes = 64L << 20;

    /// <summary>The most threads <see cref="Automatic"/> gives.</summary>
    public const int AutomaticMax = 4;

    private const int ChunksPerThread = 4;   // a late or slowed thread leaves its share to the others
    private const int Slot = 8;              // longs between two workers' allocation counters (a cache line)

    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim[] _wake;
    private readonly ManualResetEventSlim _done;
    private readonly long[] _allocated;    // per worker: its thread's allocated bytes after its last product
    private int _busy;                 // 1 while a product is being split
    private int _pending;              // workers not yet finished with the current product
    private volatile bool _stopping;
    private int _disposed;

    // The product being split: set by the calling thread before it wakes the workers.
    private PackedMatrix? _matrix;
    private float* _x, _y;
    private bool _accumulate;
    private int _panels, _chunk, _next, _count;
    private IRowWork? _rows;   // set instead of _matrix when rows are split (TryRunRows)

    /// <summary>A pool of <paramref name="threads"/> threads in all (1 … <see cref="MaxThreads"/>): this one and <paramref name="threads"/> − 1 workers.</summary>
    /// <param name="threads">Threads a product is split across, the calling one included; 1 starts no worker.</param>
    /// <param name="spinCount">Rounds an idle thread spins (as <see cref="SpinWait"/> does) before it blocks; 0, the default, blocks at once.</param>
    public KernelThreads(int threads, int spinCount = 0)
    {
        if (threads < 1 || threads > MaxThreads)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"a pool has 1 to {MaxThreads} threads.");
        if (spinCount < 0 || spinCount > 10_000)
            throw new ArgumentOutOfRangeException(nameof(spinCount), spinCount, "spin rounds go from 0 to 10000.");
        Count = threads;
        SpinCount = spinCount;
        _done = new ManualResetEventSlim(false, spinCount);
        _wake = new ManualResetEventSlim[threads - 1];
        _workers = new Thread[threads - 1];
        _allocated = new long[(threads - 1) * Slot];
        for (int i = 0; i < _workers.Length; i++)
        {
            _wake[i] = new ManualResetEventSlim(false, spinCount);
            int index = i;
            _workers[i] = new Thread(() => Work(index)) { IsBackground = true, Name = $"edge-kernels-{i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>Threads a product is split across, the calling one included.</summary>
    public int Count { get; }

    /// <summary>
    /// The thread count for a step that reads <paramref name="stepWeightBytes"/> of weights when none is asked for:
    /// 1 below <see cref="AutomaticFromBytes"/> (a small step is done before a worker wakes), else one a core up to <see cref="AutomaticMax"/>.
    /// </summary>
    public static int Automatic(long stepWeightBytes) =>
        stepWeightBytes < AutomaticFromBytes ? 1 : Math.Clamp(Environment.ProcessorCount, 1, AutomaticMax);

    /// <summary>Rounds an idle thread spins before it blocks (0: it blocks at once).</summary>
    public int SpinCount { get; }

    /// <summary>Worker threads still running (<see cref="Count"/> − 1 until <see cref="Dispose"/>, 0 after).</summary>
    public int WorkersAlive => _workers.Count(t => t.IsAlive);

    /// <summary>
    /// Managed bytes the workers have allocated since they started, as of their last product (0 without workers):
    /// with the stepping thread's own count, what a step allocates on every thread it uses.
    /// </summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _workers.Length; i++) sum += Volatile.Read(ref _allocated[i * Slot]);
            return sum;
        }
    }

    /// <summary>Products split so far (the others ran on their calling thread alone).</summary>
    public long SplitProducts { get; private set; }

    /// <summary>Stops and joins the workers; later products run on their calling thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Wait for a product being split to finish, then keep the pool busy for good.
        var spin = default(SpinWait);
        while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) spin.SpinOnce();
        _stopping = true;
        foreach (var wake in _wake) wake.Set();
        foreach (var worker in _workers) worker.Join();
        foreach (var wake in _wake) wake.Dispose();
        _done.Dispose();
    }

    /// <summary>
    /// Splits the panels of <paramref name="matrix"/>'s product across the pool; false (nothing done) when the pool
    /// is busy with another product or disposed, and the caller runs it alone.
    /// </summary>
    internal bool TrySplit(PackedMatrix matrix, ReadOnlySpan<float> x, Span<float> y, bool accumulate, int panels, int count = 1)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        SplitProducts++;
        fixed (float* px = x, py = y)   // pinned until every worker is done with them
        {
            _matrix = matrix;
            _x = px;
            _y = py;
            _accumulate = accumulate;
            _panels = panels;
            _count = count;
            _chunk = Math.Max(1, panels / (ChunksPerThread * Count));
            RunOnAll();
            _matrix = null;
        }
        Volatile.Write(ref _busy, 0);
        return true;
    }

    /// <summary>
    /// Runs <c>work.Run(r)</c> for every row <c>r</c> in <c>[0, rows)</c> across the pool, each row once on whichever
    /// thread takes it, and returns when all are done; false (nothing done) when the pool has one thread, there
    /// are fewer than two rows, or it is busy with another split or disposed: the caller then runs the rows itself.
    /// Allocates nothing.
    /// </summary>
    public bool TryRunRows(IRowWork work, int rows)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Count == 1 || rows < 2 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        _rows = work;
        _panels = rows;
        _chunk = 1;
        RunOnAll();
        _rows = null;
        Volatile.Write(ref _busy, 0);
        return true;
    }

    // Wakes the workers on the job set in the fields, takes chunks on this thread too, and waits for all of them.
    private void RunOnAll()
    {
        _next = 0;
        _pending = _workers.Length;
        foreach (var wake in _wake) wake.Set();
        RunChunks();
        // The last worker sets _done just after its decrement, so that Set can land after this job has returned,
        // and wake the next job's wait early: the count, checked after each reset, decides.
        while (Volatile.Read(ref _pending) != 0)
        {
            _done.Wait();
            _done.Reset();
        }
    }

    private void RunChunks()
    {
        if (_rows is { } work)
        {
            int row, rows = _panels;
            while ((row = Interlocked.Increment(ref _next) - 1) < rows) work.Run(row);
            return;
        }
        var matrix = _matrix!;
        var x = new ReadOnlySpan<float>(_x, _count * matrix.Cols);
        var y = new Span<float>(_y, _count * matrix.Rows);
        int chunk = _chunk, panels = _panels;
        int start;
        while ((start = Interlocked.Add(ref _next, chunk) - chunk) < panels)
            matrix.Panels(start, Math.Min(panels, start + chunk), x, y, _accumulate, _count);
    }

    private void Work(int index)
    {
        var wake = _wake[index];
        Volatile.Write(ref _allocated[index * Slot], GC.GetAllocatedBytesForCurrentThread());
        while (true)
        {
            wake.Wait();
            wake.Reset();
            if (_stopping) return;
            RunChunks();
            Volatile.Write(ref _allocated[index * Slot], GC.GetAllocatedBytesForCurrentThread());
            if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
        }
    }
}
