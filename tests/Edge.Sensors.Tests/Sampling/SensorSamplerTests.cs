using Edge.Sensors.I2c;
using Edge.Sensors.Sampling;
using Edge.Sensors.Tests.Simulated;

namespace Edge.Sensors.Tests.Sampling;

public sealed class SensorSamplerTests
{
    // A liveness bound for waits, far beyond what the runs need; never a timing assertion.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_device_dead_for_ten_frames_yields_ten_NoResponse_frames_and_the_sampler_goes_on()
    {
        var device = new SimulatedIna219 { Current = 0.25, BusVolts = 5 };
        using var source = new Ina219Source(device, new Ina219Options { MaxCurrentAmperes = 0.4 });
        var seen = new List<SensorSample>();
        int goodBefore = 0, dead = 0, goodAfter = 0;
        using var done = new ManualResetEventSlim();
        // The callback runs on the sampler thread between frames, so the fault starts and ends at exact frames
        // whatever the machine's speed.
        void OnSample(SensorSample s)
        {
            seen.Add(s);
            if (s.Channel != 0 || s.Status == SensorStatus.Missed) return;
            if (s.Status == SensorStatus.NoResponse)
            {
                if (++dead == 10)
                {
                    device.PowerCycle();
                    device.Fault = DeviceFault.None;
                }
            }
            else if (dead == 0 && ++goodBefore == 10) device.Fault = DeviceFault.NoAnswer;
            else if (dead == 10 && ++goodAfter == 20) done.Set();
        }

        using var sampler = new SensorSampler(source, new SamplerOptions { RateHz = 200, OnSample = OnSample, BufferCapacity = 0 });
        sampler.Start();
        Assert.True(done.Wait(Patience), "the sampler stopped reading before the device came back");
        sampler.Stop();

        var read = seen.Where(s => s.Status != SensorStatus.Missed).ToList();
        Assert.Equal(10, read.Count(s => s.Channel == 0 && s.Status == SensorStatus.NoResponse));
        Assert.Equal(10, read.Count(s => s.Channel == 1 && s.Status == SensorStatus.NoResponse));
        Assert.All(read.Where(s => s.Status == SensorStatus.NoResponse), s => Assert.Equal(0.0, s.Value));
        // After the comeback the values are right again: the adapter set the power-cycled chip up anew.
        var lastCurrent = read.Last(s => s.Channel == 0);
        Assert.Equal(SensorStatus.Ok, lastCurrent.Status);
        Assert.InRange(lastCurrent.Value, 0.25 - 2.5e-5, 0.25 + 2.5e-5);

        var stats = sampler.Statistics;
        Assert.Equal(20, stats.FailedReads);
        Assert.Equal(read.Count, stats.Reads);
        Assert.InRange(stats.Gaps, 1, 1 + stats.MissedPeriods);
        Assert.True(stats.LongestGapPeriods >= 10);
        Assert.Equal(stats.MissedPeriods * 2, seen.Count(s => s.Status == SensorStatus.Missed));
    }

    [Fact]
    public void A_read_that_stalls_for_ten_periods_is_reported_as_missed_periods_and_sampling_resumes()
    {
        // At 100 Hz a 100 ms stall spans at least 9 whole periods after the stalled one.
        var source = new CountingSource { StallAt = 5, Stall = TimeSpan.FromMilliseconds(100) };
        var samples = new List<SensorSample>();
        using var done = new ManualResetEventSlim();
        using var sampler = new SensorSampler(source, new SamplerOptions
        {
            RateHz = 100,
            OnSample = s => { samples.Add(s); if (s.Value >= 20) done.Set(); },
        });
        sampler.Start();
        Assert.True(done.Wait(Patience));
        sampler.Stop();

        var stats = sampler.Statistics;
        Assert.True(stats.MissedPeriods >= 9, $"missed {stats.MissedPeriods}");
        var missed = samples.Where(s => s.Status == SensorStatus.Missed).ToList();
        Assert.Equal(stats.MissedPeriods, missed.Count);
        // The markers stand where the reads were due: right after the stalled read 5 come at least 9, then read 6.
        // (A slow machine may miss other periods too, e.g. while the first reads are compiled.)
        int stalled = samples.FindIndex(s => s.IsOk && s.Value == 5.0);
        int resumed = samples.FindIndex(s => s.IsOk && s.Value == 6.0);
        Assert.True(resumed - stalled - 1 >= 9, $"{resumed - stalled - 1} markers after the stall");
        Assert.All(samples.Skip(stalled + 1).Take(resumed - stalled - 1), s => Assert.Equal(SensorStatus.Missed, s.Status));
        Assert.True(missed.Zip(missed.Skip(1), (a, b) => a.Timestamp <= b.Timestamp).All(x => x));
        // Every read made it through, in order (the sampler may read a few more before Stop lands).
        var reads = samples.Where(s => s.IsOk).Select(s => s.Value).ToList();
        Assert.True(reads.Count >= 20);
        Assert.Equal(Enumerable.Range(1, reads.Count).Select(n => (double)n), reads);
        Assert.True(stats.Gaps >= 1);
        Assert.Equal(0, stats.FailedReads);
        Assert.True(stats.LatenessP50 <= stats.LatenessP99 && stats.LatenessP99 <= stats.LatenessMax);
    }

    [Fact]
    public void A_full_buffer_drops_the_oldest_and_keeps_the_latest_in_order()
    {
        var source = new CountingSource();
        long emitted = 0;
        using var done = new ManualResetEventSlim();
        using var sampler = new SensorSampler(source, new SamplerOptions
        {
            RateHz = 1000,
            BufferCapacity = 8,
            OnSample = s => { if (Interlocked.Increment(ref emitted) == 50) done.Set(); },
        });
        sampler.Start();
        Assert.True(done.Wait(Patience));
        sampler.Stop();

        long total = Interlocked.Read(ref emitted);
        Assert.Equal(8, sampler.Buffered);
        Assert.Equal(total - 8, sampler.Statistics.Dropped);
        var kept = new List<SensorSample>();
        while (sampler.TryTake(out var s)) kept.Add(s);
        Assert.Equal(8, kept.Count);
        var reads = kept.Where(s => s.IsOk).Select(s => s.Value).ToList();
        Assert.Equal(source.Reads, reads[^1]);
        Assert.Equal(reads.OrderBy(v => v), reads);
        Assert.False(sampler.TryTake(out _));
    }

    [Fact]
    public void A_source_that_throws_is_counted_as_a_failed_read_and_the_sampler_goes_on()
    {
        var source = new CountingSource { ThrowAt = 3 };
        var samples = new List<SensorSample>();
        using var done = new ManualResetEventSlim();
        using var sampler = new SensorSampler(source, new SamplerOptions { RateHz = 500, OnSample = s => { samples.Add(s); if (s.Value >= 6) done.Set(); } });
        sampler.Start();
        Assert.True(done.Wait(Patience));
        sampler.Stop();

        Assert.IsType<InvalidOperationException>(sampler.LastFault);
        var read = samples.Where(s => s.Status != SensorStatus.Missed).ToList();
        Assert.Equal(SensorStatus.InvalidData, read[2].Status);
        Assert.Equal(1, sampler.Statistics.FailedReads);
        Assert.Equal([1.0, 2.0, 4.0, 5.0, 6.0], read.Where(s => s.IsOk).Select(s => s.Value).Take(5));
    }

    [Fact]
    public void The_sampler_thread_allocates_nothing_per_period()
    {
        // Measured on the sampler's own thread, from its callback: 500 periods of reading, buffering (with drops once
        // the buffer is full), lateness recording and any Missed markers.
        var source = new CountingSource();
        long count = 0, atStart = 0, atEnd = 0;
        using var done = new ManualResetEventSlim();
        using var sampler = new SensorSampler(source, new SamplerOptions
        {
            RateHz = 1000,
            BufferCapacity = 64,
            OnSample = s =>
            {
                long n = ++count;
                if (n == 100) atStart = GC.GetAllocatedBytesForCurrentThread();
                else if (n == 600)
                {
                    atEnd = GC.GetAllocatedBytesForCurrentThread();
                    done.Set();
                }
            },
        });
        sampler.Start();
        Assert.True(done.Wait(Patience));
        sampler.Stop();
        Assert.True(sampler.Statistics.Dropped > 0);
        Assert.Equal(0, atEnd - atStart);
    }

    [Fact]
    public void Stop_ends_the_thread_and_a_stopped_sampler_cannot_restart()
    {
        var sampler = new SensorSampler(new CountingSource(), new SamplerOptions { RateHz = 2 });
        sampler.Start();
        Assert.True(sampler.IsRunning);
        sampler.Stop();
        Assert.False(sampler.IsRunning);
        Assert.Equal(EdgeErrorCode.InvalidArgument, Assert.Throws<EdgeException>(sampler.Start).Code);
    }

    [Theory]
    [InlineData(0.0, 16, 0.0)]
    [InlineData(-5.0, 16, 0.0)]
    [InlineData(double.NaN, 16, 0.0)]
    [InlineData(10.0, -1, 0.0)]
    [InlineData(10.0, 16, -1.0)]
    [InlineData(10.0, 16, 150.0)]
    public void Options_that_cannot_run_are_rejected(double rate, int capacity, double spinMs)
    {
        var options = new SamplerOptions { RateHz = rate, BufferCapacity = capacity, SpinBudget = TimeSpan.FromMilliseconds(spinMs) };
        var e = Assert.Throws<EdgeException>(() => new SensorSampler(new CountingSource(), options));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
        Assert.Contains("SamplerOptions.", e.Message);
    }
}
