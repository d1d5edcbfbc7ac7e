using Edge.Sensors.Replay;

namespace Edge.Maintenance.Replay;

/// <summary>
/// Opens an aging run recorded as CSV in the layout of models/laser-aging (columns <c>bias_ma</c>, <c>monitor_ua</c>,
/// <c>case_temp_c</c>, and a time column <c>time_h</c> in hours or <c>time</c> in seconds or ISO-8601; other columns are
/// ignored) as a replay source for <see cref="LaserFrameReader"/>.
/// </summary>
public static class LaserRunCsv
{
    /// <summary>The three channels read, in frame order.</summary>
    public static IReadOnlyList<string> Channels { get; } = ["bias_ma", "monitor_ua", "case_temp_c"];

    /// <summary>The time column in hours (preferred when present) and the one in seconds or ISO-8601.</summary>
    public const string HoursColumn = "time_h", TimeColumn = "time";

    /// <summary>Opens <paramref name="path"/>; as fast as possible unless <paramref name="pace"/> says otherwise.</summary>
    public static CsvReplaySource Open(string path, ReplayPace pace = ReplayPace.AsFastAsPossible, double acceleration = 1)
    {
        bool hours = HasHoursColumn(path);
        return CsvReplaySource.Open(path, new CsvReplayOptions
        {
            TimeColumn = hours ? HoursColumn : TimeColumn,
            TimeUnit = hours ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds(1),
            Channels = [.. Channels],
            Pace = pace,
            Acceleration = acceleration,
        });
    }

    /// <summary>True when the run's time column is <see cref="HoursColumn"/>: its times are then hours from the Unix epoch, so elapsed hours read back as the column's values.</summary>
    public static bool HasHoursColumn(string path)
    {
        string? header;
        try
        {
            using var reader = new StreamReader(path);
            header = reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot open the run's CSV ({e.Message}); check the path.", e);
        }
        return header is not null && header.Split(',').Any(c => c.Trim().Trim('"').Trim() == HoursColumn);
    }
}
