namespace Edge.Monitor.Config;

/// <summary>The alert outbox: what it may hold in memory (everything it holds is on disk).</summary>
public sealed class OutboxConfig
{
    /// <summary>Waiting alerts held in memory for the publisher; the rest of a backlog waits on disk only.</summary>
    public int MemoryAlerts { get; init; } = Outbox.AlertOutbox.DefaultMemoryAlerts;
}
