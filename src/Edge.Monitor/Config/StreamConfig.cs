namespace Edge.Monitor.Config;

/// <summary>One sensor stream: a source of laser readings through its own maintenance pipeline.</summary>
public sealed class StreamConfig
{
    /// <summary>The stream's name (letters, digits, '-', '_'): a topic level, a label and a file name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Where the readings come from.</summary>
    public SourceConfig Source { get; init; } = new();

    /// <summary>What runs on them: "pdm" (predictor, detector, RUL), the only pipeline so far.</summary>
    public string Pipeline { get; init; } = "pdm";

    /// <summary>A reading later than this many seconds (of the readings' own time) after the previous one is logged and counted as a gap; 0 turns it off.</summary>
    public double GapS { get; init; }

    /// <summary>Seconds of wall time with no reading after which the sensor counts as gone (logged, status "silent"); 0 turns it off.</summary>
    public double SilenceS { get; init; } = 30;
}
