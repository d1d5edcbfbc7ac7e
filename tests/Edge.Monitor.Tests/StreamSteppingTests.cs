using System.Diagnostics;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Checkpoints;
using Edge.Monitor.Config;
using Edge.Monitor.Metrics;
using Edge.Monitor.Outbox;
using Edge.Monitor.Publishing;
using Edge.Monitor.Streams;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Monitor.Tests;

/// <summary>A stream as the scheduler's workers step it: on time it allocates nothing and drops nothing; late it counts what it dropped.</summary>
public sealed class StreamSteppingTests : IDisposable
{
    private const double RateHz = 100;
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-monitor-step-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_paced_stream_stepped_on_time_allocates_nothing_and_drops_nothing_and_late_readings_count_as_dropped()
    {
        string csv = ReferenceAlerts.Unit(37);
        var readings = ArrayLaserFrames.Read(csv);
        long firstAlert = ReferenceAlerts.Ids("rig", "u37", csv).Select(id => long.Parse(id.Split('/')[2])).Min();
        const int warm = 40;   // the references (12 readings), then enough steps for every path to have run once
        Assert.True(firstAlert > warm + 100, $"unit 37 alerts from reading {firstAlert}; the test needs 100 quiet readings after the warm-up");

        using var models = MaintenanceModels.LoadFolder(ReferenceAlerts.ModelsFolder);
        var metrics = new MonitorMetrics();
        using var outbox = new AlertOutbox(Path.Combine(_folder, "outbox"));
        var store = new CheckpointStore(Path.Combine(_folder, "checkpoints"));
        using var writer = new CheckpointWriter(store, outbox, metrics, NullLogger.Instance);
        var broker = new BrokerConfig();
        await using var publisher = new AlertPublisher("rig", broker, outbox, metrics, NullLogger.Instance);
        var config = new StreamConfig { Name = "u37", Source = new SourceConfig { Kind = "csv", Path = csv, RateHz = RateHz } };
        using var stream = new MonitoredStream(config, "rig", models, skip => new ArrayLaserFrames(readings, skip), outbox, store, writer, publisher,
            metrics, NullLogger.Instance, TimeSpan.FromDays(1));
        long period = (long)(Stopwatch.Frequency / RateHz);
        long t0 = Stopwatch.GetTimestamp();
        stream.Open();
        stream.Align(t0, t0 + period * 1_000_000);

        // Due times are given, not waited for: reading k is serviced exactly when it is due.
        long k = 0;
        for (; k < warm; k++) Assert.Equal(t0 + (k + 1) * period, stream.Service(t0 + k * period));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (; k < warm + 100; k++) stream.Service(t0 + k * period);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(warm + 100, stream.Position);
        Assert.Equal(warm + 100, metrics.Samples.WithLabels("u37").Value);
        Assert.Equal(0, metrics.Dropped.WithLabels("u37").Value);

        // Serviced just under three periods after reading k was due: k and k+1 are more than a period late (dropped, yet
        // stepped), k+2 is less than one period late, k+3 is not due yet.
        long next = stream.Service(t0 + (k + 3) * period - 1);
        Assert.Equal(k + 3, stream.Position);
        Assert.Equal(2, metrics.Dropped.WithLabels("u37").Value);
        Assert.Equal(t0 + (k + 3) * period, next);
    }
}
