namespace Edge.Sensors.Replay;

/// <summary>Which columns of a CSV to replay and how fast.</summary>
public sealed record CsvReplayOptions
{
    /// <summary>The header name of the time column: numbers (in <see cref="TimeUnit"/>s) or ISO-8601 times, never decreasing.</summary>
    public string TimeColumn { get; init; } = "time";

    /// <summary>What one unit of a numeric time means: a second by default; an hour for a column of hours such as <c>time_h</c>.</summary>
    public TimeSpan TimeUnit { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The header names of the columns to replay, in channel order; null replays every column but the time.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Original rate (the default), accelerated, or as fast as possible.</summary>
    public ReplayPace Pace { get; init; } = ReplayPace.Original;

    /// <summary>With <see cref="ReplayPace.Accelerated"/>: how many times faster than recorded (e.g. 60 replays a minute per second).</summary>
    public double Acceleration { get; init; } = 1;

    /// <summary>What a time of 0 seconds means; the Unix epoch by default, so Unix timestamps replay as themselves.</summary>
    public DateTimeOffset TimeOrigin { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>The cell separator.</summary>
    public char Delimiter { get; init; } = ',';
}
