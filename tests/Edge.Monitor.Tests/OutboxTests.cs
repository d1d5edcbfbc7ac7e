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
