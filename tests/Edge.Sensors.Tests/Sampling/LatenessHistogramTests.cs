using Edge.Sensors.Sampling;

namespace Edge.Sensors.Tests.Sampling;

public sealed class LatenessHistogramTests
{
    [Fact]
    public void Percentiles_below_a_millisecond_are_exact_to_the_microsecond()
    {
        var h = new LatenessHistogram();
        for (int us = 1; us <= 100; us++) h.Record(us);
        Assert.Equal(TimeSpan.FromMicroseconds(50), h.Percentile(0.50));
        Assert.Equal(TimeSpan.FromMicroseconds(99), h.Percentile(0.99));
        Assert.Equal(TimeSpan.FromMicroseconds(100), h.Max);
    }

    [Fact]
    public void Larger_lateness_is_bucketed_and_never_reported_above_the_maximum()
    {
        var h = new LatenessHistogram();
        for (int i = 0; i < 98; i++) h.Record(10);
        h.Record(5_050);        // 5.05 ms: the 5.0-5.1 ms bucket
        h.Record(250_000);      // 250 ms
        Assert.Equal(TimeSpan.FromMicroseconds(10), h.Percentile(0.50));
        Assert.Equal(TimeSpan.FromMicroseconds(5_100), h.Percentile(0.99));
        Assert.Equal(TimeSpan.FromMicroseconds(250_000), h.Percentile(1.0));
        Assert.Equal(TimeSpan.FromMicroseconds(250_000), h.Max);
    }

    [Fact]
    public void An_empty_histogram_reports_zero()
    {
        var h = new LatenessHistogram();
        Assert.Equal(TimeSpan.Zero, h.Percentile(0.99));
        Assert.Equal(TimeSpan.Zero, h.Max);
    }
}
