using System.Diagnostics;

namespace Edge.Sensors.Sampling;

/// <summary>
/// Reads a source at a fixed rate on its own thread: every period it reads one frame (each channel once), stamps
/// periods it had to skip as <see cref="SensorStatus.Missed"/> samples, and keeps a gap and lateness account.
/// Samples go to <see cref="SamplerOptions.OnSample"/> and to a bounded buffer drained by <see cref="TryTake"/>.
/// </summary>
public sealed class SensorSampler : IDisposable
{
    /// <summary>The most periods of Missed markers one stall emits (beyond it only the count grows), unless the buffer is larger.</summary>
    public const int MaxMarkersPerStall = 4096;

    private readonly ISensorSource _source;
    private readonly SamplerOptions _options;
    private readonly int _channels;
    private readonly double _periodTicks;
    private readonly long _spinTicks;
    private readonly object _gate = new();
    private readonly SensorSample[] _buffer;
    private readonly LatenessHistogram _lateness = new();
    private int _head;
    private int _count;
    private long _periods, _missed, _reads, _failed, _gaps, _longestGap, _dropped;
    private long _currentGap;
    private Thread? _thread;
    private volatile bool _stop;
    private Exception? _fault;

    /// <summary>Creates a sampler for <paramref name="source"/>; it does not own the source. Call <see cref="Start"/> to begin.</summary>
    public SensorSampler(ISensorSource source, SamplerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _options = options ?? new SamplerOptions();
        if (!(_options.RateHz > 0) || double.IsInfinity(_options.RateHz))
        {
            Fail.With(EdgeErrorCode.InvalidArgument, $"SamplerOptions.RateHz is {_options.RateHz}; set a positive rate in frames per second.");
        }
        if (_options.BufferCapacity < 0)
        {
            Fail.With(EdgeErrorCode.InvalidArgument, $"SamplerOptions.BufferCapacity is {_options.BufferCapacity}; use 0 (callback only) or more.");
        }
        if (_options.SpinBudget < TimeSpan.Zero || _options.SpinBudget.TotalSeconds * _options.RateHz > 1)
        {
            Fail.With(EdgeErrorCode.InvalidArgument,
                $"SamplerOptions.SpinBudget is {_options.SpinBudget.TotalMilliseconds} ms; use zero (no spinning) up to one period ({1000 / _options.RateHz} ms).");
        }
        if (source.Channels.Count == 0)
        {
            Fail.With(EdgeErrorCode.InvalidArgument, "The source has no channels; a sampler needs at least one to read.");
        }
        _source = source;
        _channels = source.Channels.Count;
        _periodTicks = Stopwatch.Frequency / _options.RateHz;
        _spinTicks = (long)(_options.SpinBudget.TotalSeconds * Stopwatch.Frequency);
        _buffer = new SensorSample[_options.BufferCapacity];
    }

    /// <summary>True from <see cref="Start"/> until <see cref="Stop"/>.</summary>
    public bool IsRunning => _thread is { IsAlive: true };

    /// <summary>An exception the source or the callback threw (a bug: sources report faults as statuses); the sampler counts it as failed reads and goes on.</summary>
    public Exception? LastFault => Volatile.Read(ref _fault);

    /// <summary>Samples waiting in the buffer.</summary>
    public int Buffered { get { lock (_gate) return _count; } }

    /// <summary>Starts the sampler thread; the first frame is read at once.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            Fail.With(EdgeErrorCode.InvalidArgument, "The sampler was already started; create a new SensorSampler to sample again.");
        }
        _thread = new Thread(Run) { IsBackground = true, Name = _options.ThreadName, Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Stops the thread after the frame in progress and waits for it.</summary>
    public void Stop()
    {
        _stop = true;
        if (_thread is { } thread && thread != Thread.CurrentThread) thread.Join();
    }

    /// <summary>Takes the oldest buffered sample; false when the buffer is empty.</summary>
    public bool TryTake(out SensorSample sample)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                sample = default;
                return false;
            }
            sample = _buffer[_head];
            _head = _head + 1 == _buffer.Length ? 0 : _head + 1;
            _count--;
            return true;
        }
    }

    /// <summary>The accounting so far; safe to call from any thread while the sampler runs.</summary>
    public SamplerStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new SamplerStatistics
                {
                    Periods = _periods, MissedPeriods = _missed, Reads = _reads, FailedReads = _failed,
                    Gaps = _gaps, LongestGapPeriods = _longestGap, Dropped = _dropped,
                    LatenessP50 = _lateness.Percentile(0.50), LatenessP99 = _lateness.Percentile(0.99), LatenessMax = _lateness.Max,
                };
            }
        }
    }

    /// <summary>Stops the sampler; the source stays open (the caller owns it).</summary>
    public void Dispose() => Stop();

    private void Run()
    {
        long start = Stopwatch.GetTimestamp();
        DateTimeOffset wallStart = DateTimeOffset.UtcNow;
        long period = 0;
        while (!_stop)
        {
            long due = start + (long)(period * _periodTicks);
            WaitUntil(due);
            if (_stop) break;
            long now = Stopwatch.GetTimestamp();
            long late = now - due;
            if (late >= _periodTicks)
            {
                // Whole periods went by without a read; they are reported, not silently squeezed in late.
                long skipped = (long)(late / _periodTicks);
                // A stall of hours at a high rate would emit millions of markers; the count stays exact, the
                // markers stop at MaxMarkersPerStall periods (or the buffer's size, if larger).
                long marked = Math.Min(skipped, Math.Max(_buffer.Length, MaxMarkersPerStall));
                for (long k = 0; k < marked; k++)
                {
                    long skippedDue = start + (long)((period + k) * _periodTicks);
                    DateTimeOffset when = wallStart + Stopwatch.GetElapsedTime(start, skippedDue);
                    EndPeriods(1, missed: true, failed: false);
                    for (int c = 0; c < _channels; c++) Emit(new SensorSample(when, c, 0, SensorStatus.Missed), counted: false);
                }
                if (skipped > marked) EndPeriods(skipped - marked, missed: true, failed: false);
                period += skipped;
                due = start + (long)(period * _periodTicks);
                late = now - due;
            }
            lock (_gate) _lateness.Record((long)(late * 1_000_000.0 / Stopwatch.Frequency));
            bool anyFailed = ReadFrame();
            EndPeriods(1, missed: false, failed: anyFailed);
            period++;
        }
    }

    private bool ReadFrame()
    {
        bool anyFailed = false;
        for (int c = 0; c < _channels; c++)
        {
            SensorSample sample;
            try
            {
                _source.TryRead(out sample);
            }
            catch (Exception e)
            {
                Volatile.Write(ref _fault, e);
                sample = new SensorSample(DateTimeOffset.UtcNow, c, 0, SensorStatus.InvalidData);
            }
            anyFailed |= sample.Status is not (SensorStatus.Ok or SensorStatus.OutOfRange);
            Emit(sample, counted: true);
        }
        return anyFailed;
    }

    private void Emit(in SensorSample sample, bool counted)
    {
        if (_options.OnSample is { } callback)
        {
            try
            {
                callback(sample);
            }
            catch (Exception e)
            {
                Volatile.Write(ref _fault, e);
            }
        }
        lock (_gate)
        {
            if (counted)
            {
                _reads++;
                if (sample.Status is not (SensorStatus.Ok or SensorStatus.OutOfRange)) _failed++;
            }
            if (_buffer.Length == 0) return;
            if (_count == _buffer.Length)
            {
                _head = _head + 1 == _buffer.Length ? 0 : _head + 1;
                _count--;
                _dropped++;
            }
            int tail = _head + _count;
            if (tail >= _buffer.Length) tail -= _buffer.Length;
            _buffer[tail] = sample;
            _count++;
        }
    }

    private void EndPeriods(long count, bool missed, bool failed)
    {
        lock (_gate)
        {
            _periods += count;
            if (missed) _missed += count;
            if (missed || failed)
            {
                if (_currentGap == 0) _gaps++;
                _currentGap += count;
                if (_currentGap > _longestGap) _longestGap = _currentGap;
            }
            else
            {
                _currentGap = 0;
            }
        }
    }

    private void WaitUntil(long due)
    {
        long millisecond = Stopwatch.Frequency / 1000;
        while (!_stop)
        {
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0) return;
            if (remaining > _spinTicks + millisecond)
            {
                // The OS wakes a sleeper up to about a millisecond late: sleep one millisecond short of the spin
                // window, in slices of at most 50 ms so that Stop is noticed at slow rates.
                long ms = Math.Clamp((remaining - _spinTicks) / millisecond - 1, 1, 50);
                Thread.Sleep((int)ms);
            }
            else if (_spinTicks == 0)
            {
                Thread.Sleep(1);
            }
            else
            {
                Spin(due);
                return;
            }
        }
    }

    private void Spin(long due)
    {
        // A true spin: yielding between checks measured worse on a loaded machine (the thread waits a whole time
        // slice to run again), and the spin window is short by construction.
        while (!_stop && Stopwatch.GetTimestamp() < due) Thread.SpinWait(10);
    }
}
