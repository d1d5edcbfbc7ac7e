namespace Edge.Monitor.Outbox;

/// <summary>An alert in the outbox, the segment file that holds it, and whether a copy may already have reached the broker.</summary>
public sealed class OutboxEntry
{
    /// <summary>Wraps <paramref name="alert"/>, queued as number <paramref name="sequence"/>.</summary>
    public OutboxEntry(Alert alert, long sequence, bool redelivery)
    {
        Alert = alert;
        Sequence = sequence;
        Redelivery = redelivery;
    }

    /// <summary>The alert as raised.</summary>
    public Alert Alert { get; }

    /// <summary>Its place in this run's queue (1, 2, …): a checkpoint waits until every alert up to its number is on disk.</summary>
    public long Sequence { get; }

    /// <summary>The segment file it is written in; -1 until written.</summary>
    public long Segment { get; internal set; } = -1;

    /// <summary>Where its line starts in the segment file (bytes).</summary>
    public long Offset { get; internal set; }

    /// <summary>Where its line ends in the segment file (bytes, past the newline).</summary>
    public long End { get; internal set; }

    /// <summary>Its node in the outbox's in-memory window while it is there (so that acknowledging it costs no search).</summary>
    internal LinkedListNode<OutboxEntry>? Node { get; set; }

    /// <summary>True once a send may have reached the broker without its acknowledgement reaching us (found on disk at start, or a publish that failed): the next copy is marked <see cref="Alert.Redelivery"/>.</summary>
    public bool Redelivery { get; set; }

    /// <summary>The alert as it is sent now.</summary>
    public Alert ToSend() => Redelivery ? Alert with { Redelivery = true } : Alert;
}
