using System.Collections.Concurrent;
using System.Diagnostics;
using Edge.Monitor.Metrics;
using Edge.Monitor.Outbox;
using Edge.Monitor.Streams;
using Microsoft.Extensions.Logging;

namespace Edge.Monitor.Checkpoints;

/// <summary>
/// Writes checkpoints on its own thread, so that a stream's step loop never waits for an fsync: a stream hands over its
/// state bytes and position, and the writer first waits until every alert queued before them is on disk (so a checkpoint
/// never passes an alert that a crash could lose), then writes the checkpoint. Jobs are written in the order given.
/// </summary>
public sealed class CheckpointWriter : IDisposable
{
    private readonly BlockingCollection<Job> _jobs = new();
    private readonly CheckpointStore _store;
    private readonly AlertOutbox _outbox;
    private readonly MonitorMetrics _metrics;
    private readonly ILogger _log;
    private readonly Thread _thread;

    /// <summary>Starts the writer for <paramref name="store"/>, ordered after <paramref name="outbox"/>'s writes.</summary>
    public CheckpointWriter(CheckpointStore store, AlertOutbox outbox, MonitorMetrics metrics, ILogger log)
    {
        _store = store;
        _outbox = outbox;
        _metrics = metrics;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "edge-monitor checkpoints" };
        _thread.Start();
    }

    /// <summary>Checkpoints handed over and not yet written.</summary>
    public int Queued => _jobs.Count;

    /// <summary>
    /// Queues a checkpoint of <paramref name="stream"/>: <paramref name="state"/> at source <paramref name="position"/>, taken
    /// when <paramref name="alertSequence"/> was the outbox's last alert, with the stream's <paramref name="alarm"/> then.
    /// <paramref name="written"/> is called with the Stopwatch time once it is on disk.
    /// </summary>
    public void Submit(string stream, byte[] state, long position, AlarmState alarm, long alertSequence, Action<long> written) =>
        _jobs.Add(new Job(stream, state, position, alarm, alertSequence, written));

    private void Run()
    {
        foreach (var job in _jobs.GetConsumingEnumerable()) Write(job);
    }

    private void Write(Job job)
    {
        // While the outbox cannot write (a full disk), the checkpoint waits too: writing it would skip the alerts.
        while (!_outbox.WaitWritten(job.AlertSequence, TimeSpan.FromSeconds(5)))
        {
            if (!_jobs.IsAddingCompleted) continue;
            _metrics.CheckpointFailures.Inc();
            _log.LogError("stream {Stream}: last checkpoint not written: the alerts before it are not on disk; the stream resumes from its previous checkpoint", job.Stream);
            return;
        }
        try
        {
            _store.Save(job.Stream, job.State, job.Position, job.Alarm);
            job.Written(Stopwatch.GetTimestamp());
            _metrics.Checkpoints.Inc();
        }
        catch (Exception e) when (e is EdgeException or IOException or UnauthorizedAccessException)
        {
            _metrics.CheckpointFailures.Inc();
            _log.LogError("stream {Stream}: checkpoint not written: {Problem}", job.Stream, e.Message);
        }
    }

    /// <summary>Writes every checkpoint handed over, then stops the thread.</summary>
    public void Dispose()
    {
        if (_jobs.IsAddingCompleted) return;
        _jobs.CompleteAdding();
        _thread.Join();
    }

    private sealed record Job(string Stream, byte[] State, long Position, AlarmState Alarm, long AlertSequence, Action<long> Written);
}
