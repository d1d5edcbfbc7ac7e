using System.Diagnostics;
using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Checkpoints;
using Edge.Monitor.Config;
using Edge.Monitor.Metrics;
using Edge.Monitor.Outbox;
using Edge.Monitor.Publishing;
using Edge.Monitor.Scheduling;
using Edge.Monitor.Streams;
using Edge.Sensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Monitor.Tests;

/// <summary>
/// A worker's streams stepped together (one batch step per round of due readings) do what they do serviced one after
/// another: the same positions, alerts, rejections and drops, a bad reading touching only its own stream, and nothing allocated.
/// </summary>
public sealed class StreamSliceTests : IDisposable
{
    private const double RateHz = 100;
    private static readonly long Period = (long)(Stopwatch.Frequency / RateHz);
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-monitor-slice-").FullName;
    private readonly MaintenanceModels _models = MaintenanceModels.LoadFolder(ReferenceAlerts.ModelsFolder);

    public void Dispose()
    {
        _models.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Four_paced_streams_are_stepped_in_batches_of_four_allocating_nothing_and_late_readings_count_as_dropped_on_each()
    {
        // Units whose first alert comes after reading 140, so that the measured passes raise none (an alert allocates).
        int[] units = [37, 38, 40, 58];
        await using var rig = new Rig(Path.Combine(_folder, "on-time"), _models);
        var streams = units.Select(u => rig.Stream($"u{u}", ArrayLaserFrames.Read(ReferenceAlerts.Unit(u)), RateHz)).ToArray();
        using var slice = new StreamSlice(streams, rig.Metrics);
        Assert.True(slice.Batched);
        Assert.Equal("predictor, RUL model", slice.BatchedModels);
        long t0 = Stopwatch.GetTimestamp();
        foreach (var s in streams)
        {
            s.Open();
            s.Align(t0, t0 + Period * 1_000_000);
        }

        const int warm = 40;
        long k = 0;
        for (; k < warm; k++) Assert.Equal(t0 + (k + 1) * Period, slice.Service(t0 + k * Period));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (; k < warm + 100; k++) slice.Service(t0 + k * Period);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        foreach (var s in streams)
        {
            Assert.Equal(warm + 100, s.Position);
            Assert.Equal(warm + 100, rig.Metrics.Samples.WithLabels(s.Name).Value);
            Assert.Equal(0, rig.Metrics.Dropped.WithLabels(s.Name).Value);
        }
        // One batch step of all four streams per pass so far.
        Assert.Equal(warm + 100, rig.Metrics.BatchStreams.Count);
        Assert.Equal(4 * (warm + 100), rig.Metrics.BatchStreams.Sum);

        // Serviced just under three periods after reading k was due: on every stream k and k+1 are more than a period
        // late (dropped, yet stepped), k+2 is less than one period late, k+3 is not due yet: three batch steps of four.
        long next = slice.Service(t0 + (k + 3) * Period - 1);
        Assert.Equal(t0 + (k + 3) * Period, next);
        foreach (var s in streams)
        {
            Assert.Equal(k + 3, s.Position);
            Assert.Equal(2, rig.Metrics.Dropped.WithLabels(s.Name).Value);
        }
        Assert.Equal(warm + 103, rig.Metrics.BatchStreams.Count);
        Assert.Equal(4 * (warm + 103), rig.Metrics.BatchStreams.Sum);
    }

    [Fact]
    public async Task Streams_stepped_together_raise_the_alerts_rejections_and_faults_they_raise_serviced_one_after_another()
    {
        // Paced streams, an unpaced one (up to 64 readings a pass, so it has rows in batch steps the paced ones sit out),
        // one with NaN and out-of-range readings, and one whose reading 200 has a bias of 1e300 (finite, but its
        // features overflow, which the predictor refuses: that stream fails, the others go on).
        var clean = new[] { 37, 60, 58 };
        var spoilt = ArrayLaserFrames.Read(ReferenceAlerts.Unit(38));
        for (int i = 100; i < spoilt.Length; i += 150)
        {
            spoilt[i] = i % 300 == 100 ? spoilt[i] with { Bias = double.NaN } : spoilt[i] with { Status = SensorStatus.OutOfRange, FaultChannel = 0 };
        }
        var doomed = ArrayLaserFrames.Read(ReferenceAlerts.Unit(40));
        doomed[200] = doomed[200] with { Bias = 1e300 };

        async Task<(List<Alert> Alerts, Dictionary<string, string> Streams)> RunAsync(string name, bool batch)
        {
            await using var rig = new Rig(Path.Combine(_folder, name), _models);
            var streams = new List<MonitoredStream>
            {
                rig.Stream("u37", ArrayLaserFrames.Read(ReferenceAlerts.Unit(37)), RateHz),
                rig.Stream("u60", ArrayLaserFrames.Read(ReferenceAlerts.Unit(60)), 0),
                rig.Stream("u38-spoilt", (LaserReading[])spoilt.Clone(), RateHz),
                rig.Stream("u40-doomed", (LaserReading[])doomed.Clone(), RateHz),
                rig.Stream("u58", ArrayLaserFrames.Read(ReferenceAlerts.Unit(58)), RateHz),
            };
            using var slice = new StreamSlice(streams, rig.Metrics, batch);
            Assert.Equal(batch, slice.Batched);
            long t0 = Stopwatch.GetTimestamp();
            foreach (var s in streams)
            {
                s.Open();
                s.Align(t0, t0 + Period * 1_000_000);
            }
            // Every third pass is two and a half periods late, so the paced streams catch up in further batch steps.
            long k = 0;
            while (slice.Service(t0 + k * Period + (k % 3 == 0 ? 5 * Period / 2 : 0)) != long.MaxValue) k++;
            Assert.True(rig.Outbox.WaitWritten(rig.Outbox.LastSequence, TimeSpan.FromSeconds(30)));
            var waiting = new List<OutboxEntry>();
            rig.Outbox.PeekOldest(waiting, 100_000);
            var summary = streams.ToDictionary(s => s.Name, s => string.Join(' ', s.State, s.Position,
                rig.Metrics.Samples.WithLabels(s.Name).Value, rig.Metrics.Dropped.WithLabels(s.Name).Value,
                string.Join(',', Enum.GetValues<MaintenanceRejection>().Select(r => rig.Metrics.Rejected.WithLabels(s.Name, r.ToString()).Value))));
            // Alerts in each stream's order (streams stepped together interleave their alerts in the outbox).
            return (waiting.Select(e => e.Alert).OrderBy(a => a.Stream, StringComparer.Ordinal).ThenBy(a => a.Position).ToList(), summary);
        }

        var together = await RunAsync("together", batch: true);
        var alone = await RunAsync("alone", batch: false);
        Assert.Equal(alone.Streams, together.Streams);
        Assert.Equal(alone.Alerts, together.Alerts);

        // What the run went through: the clean streams raised their reference alerts, the spoilt one counted its bad
        // readings, the doomed one stopped at reading 200 with the alerts it had raised by then.
        foreach (int u in clean)
        {
            var expected = ReferenceAlerts.Kinds(ReferenceAlerts.Unit(u));
            Assert.Equal(expected, together.Alerts.Where(a => a.Stream == $"u{u}").Select(a => (a.Position, a.Kind)).ToList());
            Assert.StartsWith("finished", together.Streams[$"u{u}"], StringComparison.Ordinal);
        }
        int nan = Enumerable.Range(0, spoilt.Length).Count(i => i >= 100 && (i - 100) % 150 == 0 && i % 300 == 100);
        var spoiltFigures = together.Streams["u38-spoilt"].Split(' ');
        Assert.Equal(["finished", $"{spoilt.Length}"], spoiltFigures[..2]);
        Assert.Equal($"{nan}", spoiltFigures[4].Split(',')[(int)MaintenanceRejection.NotFinite]);
        Assert.True(nan >= 5);
        Assert.Contains(together.Alerts, a => a.Stream == "u38-spoilt");
        Assert.StartsWith("failed 200 ", together.Streams["u40-doomed"], StringComparison.Ordinal);
        Assert.True(together.Streams["u37"].Split(' ')[3] != "0", "the late passes should have dropped readings on a paced stream");
    }

    /// <summary>An outbox, checkpoints, a publisher (never connected) and metrics for a set of streams, in a folder of its own.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly MaintenanceModels _models;
        private readonly CheckpointStore _store;
        private readonly CheckpointWriter _writer;
        private readonly AlertPublisher _publisher;
        private readonly List<MonitoredStream> _streams = [];

        public Rig(string folder, MaintenanceModels models)
        {
            _models = models;
            Metrics = new MonitorMetrics();
            Outbox = new AlertOutbox(Path.Combine(folder, "outbox"));
            _store = new CheckpointStore(Path.Combine(folder, "checkpoints"));
            _writer = new CheckpointWriter(_store, Outbox, Metrics, NullLogger.Instance);
            _publisher = new AlertPublisher("rig", new BrokerConfig(), Outbox, Metrics, NullLogger.Instance);
        }

        public MonitorMetrics Metrics { get; }

        public AlertOutbox Outbox { get; }

        public MonitoredStream Stream(string name, LaserReading[] readings, double rateHz)
        {
            var config = new StreamConfig { Name = name, Source = new SourceConfig { Kind = "csv", Path = name + ".csv", RateHz = rateHz } };
            var stream = new MonitoredStream(config, "rig", _models, skip => new ArrayLaserFrames(readings, skip), Outbox, _store, _writer, _publisher,
                Metrics, NullLogger.Instance, TimeSpan.FromDays(1));
            _streams.Add(stream);
            return stream;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var s in _streams) s.Dispose();
            _writer.Dispose();
            await _publisher.DisposeAsync();
            Outbox.Dispose();
        }
    }
}
