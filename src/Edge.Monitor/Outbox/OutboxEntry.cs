namespace Edge.Monitor.Outbox;

/// <summary>An alert waiting in the outbox and the file that holds it.</summary>
/// <param name="Alert">The alert (with <see cref="Alert.Redelivery"/> set when it was found on disk at start).</param>
/// <param name="File">Its file in the outbox folder.</param>
public sealed record OutboxEntry(Alert Alert, string File);
