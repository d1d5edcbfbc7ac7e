namespace Edge.Monitor.Outbox;

/// <summary>An alert waiting in the outbox, the file that holds it, and whether a copy may already have reached the broker.</summary>
public sealed class OutboxEntry
{
    /// <summary>Wraps <paramref name="alert"/> stored in <paramref name="file"/>.</summary>
    public OutboxEntry(Alert alert, string file, bool redelivery)
    {
        Alert = alert;
        File = file;
        Redelivery = redelivery;
    }

    /// <summary>The alert as raised.</summary>
    public Alert Alert { get; }

    /// <summary>Its file in the outbox folder.</summary>
    public string File { get; }

    /// <summary>True once a send may have reached the broker without its acknowledgement reaching us (found on disk at start, or a publish that failed): the next copy is marked <see cref="Alert.Redelivery"/>.</summary>
    public bool Redelivery { get; set; }

    /// <summary>The alert as it is sent now.</summary>
    public Alert ToSend() => Redelivery ? Alert with { Redelivery = true } : Alert;
}
