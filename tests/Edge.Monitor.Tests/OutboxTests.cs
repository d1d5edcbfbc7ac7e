using Edge.Monitor.Outbox;

namespace Edge.Monitor.Tests;

/// <summary>The outbox over a long life: its ledger and segments stay bounded, and what it remembers survives a reopen.</summary>
public sealed class OutboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-monitor-outbox-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Alert Make(string stream, long position) => new()
    {
        Id = $"rig/{stream}/{position}", Device = "rig", Stream = stream, Kind = "alert", Position = position, Time = "2026-01-01T00:00:00Z",
    };

    [Fact]
    public void After_thirty_thousand_acknowledged_alerts_the_ledger_is_compacted_and_every_id_is_still_known_after_a_reopen()
    {
        const int perStream = 10_000;
        string[] streams = ["s0", "s1", "s2"];
        var batch = new List<OutboxEntry>();
        using (var outbox = new AlertOutbox(_folder))
        {
            for (int p = 0; p < perStream; p++)
            {
                foreach (string s in streams) Assert.True(outbox.Enqueue(Make(s, p)));
                if (p % 500 != 499) continue;
                Assert.True(outbox.WaitWritten(outbox.LastSequence, TimeSpan.FromSeconds(60)));
                // The broker acknowledges everything except s1's last ten readings, which stay waiting.
                for (outbox.PeekOldest(batch, 256); batch.Count > 0; outbox.PeekOldest(batch, 256))
                {
                    var acked = batch.Where(e => !(e.Alert.Stream == "s1" && e.Alert.Position >= perStream - 10)).ToList();
                    if (acked.Count == 0) break;
                    outbox.Acknowledge(acked);
                }
            }
            Assert.Equal(10, outbox.Pending);
            // 29,990 ids acknowledged; the ledger holds a watermark per stream and the ids since the last compaction
            // (it is compacted every 4,096 lines or so).
            Assert.True(outbox.LedgerLines < 3 * 4096, $"acked.log has {outbox.LedgerLines} lines after 29,990 acknowledgements");
        }
        long ledgerBytes = new FileInfo(Path.Combine(_folder, "acked.log")).Length;
        Assert.True(ledgerBytes < 200_000, $"acked.log is {ledgerBytes} bytes");
        // Only the segment holding s1's waiting alerts is left.
        Assert.Single(Directory.GetFiles(_folder, "*.alerts"));
        Assert.Equal(10, AlertOutbox.CountWaiting(_folder));

        using (var reopened = new AlertOutbox(_folder))
        {
            Assert.Equal(10, reopened.Pending);
            reopened.PeekOldest(batch, 100);
            Assert.Equal(Enumerable.Range(perStream - 10, 10).Select(p => $"rig/s1/{p}"), batch.Select(e => e.Alert.Id));
            Assert.All(batch, e => Assert.True(e.ToSend().Redelivery));
            // Acknowledged long ago (below a watermark), acknowledged lately, waiting: none is queued again. A new reading is.
            Assert.False(reopened.Enqueue(Make("s0", 17)));
            Assert.False(reopened.Enqueue(Make("s2", perStream - 1)));
            Assert.False(reopened.Enqueue(Make("s1", perStream - 3)));
            Assert.True(reopened.Enqueue(Make("s0", perStream)));
            Assert.Equal(11, reopened.Pending);
        }
    }

    [Fact]
    public void A_backlog_of_ten_thousand_with_a_memory_bound_of_256_keeps_256_in_memory_and_every_alert_is_sent_once_in_order_across_a_reopen()
    {
        const int bound = 256, total = 10_000;
        string[] streams = ["s0", "s1", "s2", "s3"];
        var raised = new List<string>();
        var sent = new List<string>();
        var batch = new List<OutboxEntry>();
        int most = 0;
        // Drains up to count alerts as a publisher does (64 at a time), noting the most held in memory meanwhile.
        void Drain(AlertOutbox outbox, int count)
        {
            for (int done = 0; done < count;)
            {
                outbox.PeekOldest(batch, Math.Min(64, count - done));
                if (batch.Count == 0) break;
                most = Math.Max(most, outbox.InMemory);
                sent.AddRange(batch.Select(e => e.Alert.Id));
                outbox.Acknowledge(batch.ToList());
                done += batch.Count;
            }
        }

        using (var outbox = new AlertOutbox(_folder, memoryAlerts: bound))
        {
            // The broker is down: 10,000 alerts raised, written, waiting.
            for (int p = 0; raised.Count < total; p++)
            {
                foreach (string s in streams)
                {
                    Assert.True(outbox.Enqueue(Make(s, p)));
                    raised.Add($"rig/{s}/{p}");
                }
            }
            Assert.True(outbox.WaitWritten(outbox.LastSequence, TimeSpan.FromSeconds(60)));
            Assert.Equal(total, outbox.Pending);
            Assert.Equal(bound, outbox.InMemory);
            // Waiting on disk only, a repeat is still known; a new reading is not.
            Assert.False(outbox.Enqueue(Make("s2", 2000)));
            Assert.True(outbox.Enqueue(Make("s2", 2500)));
            raised.Add("rig/s2/2500");
            Assert.True(outbox.WaitWritten(outbox.LastSequence, TimeSpan.FromSeconds(60)));

            // The broker is back: 4,000 are sent, then the daemon stops.
            Drain(outbox, 4000);
            Assert.Equal(total + 1 - 4000, outbox.Pending);
        }
        using (var reopened = new AlertOutbox(_folder, memoryAlerts: bound))
        {
            Assert.Equal(total + 1 - 4000, reopened.Pending);
            Assert.Equal(bound, reopened.InMemory);
            Assert.False(reopened.Enqueue(Make("s0", 2400)));
            Drain(reopened, int.MaxValue);
            Assert.Equal(0, reopened.Pending);
            Assert.Equal(0, reopened.InMemory);
        }
        Assert.Equal(bound, most);
        Assert.Equal(raised, sent);
        Assert.Empty(Directory.GetFiles(_folder, "*.alerts"));
    }

    [Fact]
    public void A_batch_torn_by_a_crash_is_skipped_and_the_alerts_written_before_it_wait_to_be_sent()
    {
        using (var outbox = new AlertOutbox(_folder))
        {
            for (int p = 0; p < 5; p++) outbox.Enqueue(Make("s0", p));
            Assert.True(outbox.WaitWritten(outbox.LastSequence, TimeSpan.FromSeconds(60)));
        }
        string segment = Assert.Single(Directory.GetFiles(_folder, "*.alerts"));
        File.AppendAllText(segment, "{\"id\":\"rig/s0/5\",\"dev");   // what a power cut mid-write leaves

        using var reopened = new AlertOutbox(_folder);
        Assert.Equal(1, reopened.UnreadableLines);
        Assert.Equal(5, reopened.Pending);
        Assert.True(reopened.Enqueue(Make("s0", 5)));   // raised again by the stream's replay, and queued
    }
}
