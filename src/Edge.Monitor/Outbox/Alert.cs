using System.Text.Json.Serialization;

namespace Edge.Monitor.Outbox;

/// <summary>
/// One alert as published (JSON, snake_case). <see cref="Id"/> is <c>DEVICE/STREAM/POSITION</c>, the position being the
/// reading's index in its source, so a stream replayed from a checkpoint raises the same ids and a consumer drops repeats.
/// </summary>
public sealed record Alert
{
    /// <summary>The stable id: device, stream and the reading's position in its source.</summary>
    public required string Id { get; init; }

    /// <summary>The device that raised it.</summary>
    public required string Device { get; init; }

    /// <summary>The stream that raised it.</summary>
    public required string Stream { get; init; }

    /// <summary>
    /// "anomaly" (the detector's first flag of the run opens an alarm), "alert" (a later flag opens one), "still_active"
    /// (the alarm goes on), "cleared" (it closed) or "end_of_life".
    /// </summary>
    public required string Kind { get; init; }

    /// <summary>The reading's index in its source (0 = the first reading).</summary>
    public required long Position { get; init; }

    /// <summary>The reading's time, ISO-8601 UTC.</summary>
    public required string Time { get; init; }

    /// <summary>The detector's score.</summary>
    public float Score { get; init; }

    /// <summary>The detector's threshold.</summary>
    public float Threshold { get; init; }

    /// <summary>The RUL estimate in hours, when the RUL model runs.</summary>
    public float? RulH { get; init; }

    /// <summary>The position of the alert that opened the alarm this one belongs to (null outside an alarm).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Since { get; init; }

    /// <summary>True when this copy is sent again after a restart: the broker may already have it (a consumer drops it by id).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Redelivery { get; init; }
}
