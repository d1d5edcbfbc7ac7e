namespace Edge.Sensors.Replay;

/// <summary>How fast a replay hands out rows, against the file's time column.</summary>
public enum ReplayPace
{
    /// <summary>At the file's own rate: a row is not read before its time, counted from the first row.</summary>
    Original,
    /// <summary>Faster (or slower) than recorded by <see cref="CsvReplayOptions.Acceleration"/>.</summary>
    Accelerated,
    /// <summary>Without waiting, as fast as the reader consumes rows.</summary>
    AsFastAsPossible,
}
