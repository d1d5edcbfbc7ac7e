using System.Diagnostics;
using Edge.Sensors.Replay;

namespace Edge.Sensors.Tests.Replay;

public sealed class CsvReplaySourceTests
{
    private static CsvReplaySource Replay(string csv, CsvReplayOptions? options = null) =>
        new(new StringReader(csv), "run.csv", options ?? new CsvReplayOptions { Pace = ReplayPace.AsFastAsPossible });

    private static List<SensorSample> ReadAll(CsvReplaySource source)
    {
        var samples = new List<SensorSample>();
        while (true)
        {
            source.TryRead(out var s);
            if (s.Status == SensorStatus.EndOfData) return samples;
            samples.Add(s);
        }
    }

    [Fact]
    public void Channels_are_chosen_by_header_name_and_stamped_with_the_file_time_in_seconds()
    {
        const string csv = "time,temp,bias_current,photodiode\n0.0,25.0,0.100,1.5\n0.5,25.1,0.101,1.49\n1.0,25.2,0.102,1.48\n";
        using var source = Replay(csv, new CsvReplayOptions { Pace = ReplayPace.AsFastAsPossible, Channels = ["bias_current", "temp"] });
        Assert.Equal(["bias_current", "temp"], source.Channels.Select(c => c.Name));
        var samples = ReadAll(source);
        Assert.Equal([0.100, 25.0, 0.101, 25.1, 0.102, 25.2], samples.Select(s => s.Value));
        Assert.Equal([0, 1, 0, 1, 0, 1], samples.Select(s => s.Channel));
        Assert.All(samples, s => Assert.Equal(SensorStatus.Ok, s.Status));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(0.5), samples[2].Timestamp);
        Assert.Equal(4, source.Line);
    }

    [Fact]
    public void Iso_times_replay_as_written_and_every_column_but_the_time_is_a_channel_by_default()
    {
        const string csv = "\"when\",current\n2026-03-01T10:00:00Z,0.1\n2026-03-01T10:00:01.5Z,0.2\n";
        using var source = Replay(csv, new CsvReplayOptions { TimeColumn = "when", Pace = ReplayPace.AsFastAsPossible });
        var samples = ReadAll(source);
        Assert.Equal(["current"], source.Channels.Select(c => c.Name));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 1, 500, TimeSpan.Zero), samples[1].Timestamp);
        Assert.Equal(0.2, samples[1].Value);
    }

    [Fact]
    public void A_column_of_hours_replays_in_hours_with_TimeUnit()
    {
        const string csv = "unit_id,time_h,bias_ma\n17,0.0,48.282\n17,2.0,48.367\n17,4794.5,58.1\n";
        using var source = Replay(csv, new CsvReplayOptions { TimeColumn = "time_h", TimeUnit = TimeSpan.FromHours(1), Channels = ["bias_ma"], Pace = ReplayPace.AsFastAsPossible });
        var samples = ReadAll(source);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddHours(2), samples[1].Timestamp);
        Assert.Equal(4794.5, (samples[2].Timestamp - DateTimeOffset.UnixEpoch).TotalHours);
    }

    [Fact]
    public void A_time_beyond_the_calendar_and_a_non_positive_time_unit_are_one_line_errors()
    {
        using var source = Replay("time,a\n0,1\n1e300,2\n");
        Assert.True(source.TryRead(out _));
        var e = Assert.Throws<EdgeException>(() => source.TryRead(out _));
        Assert.Equal("run.csv line 3: time '1e300' is beyond the years 1 to 9999 from CsvReplayOptions.TimeOrigin; fix the cell or the TimeUnit.", e.Message);
        var bad = Assert.Throws<EdgeException>(() => Replay("time,a\n0,1\n", new CsvReplayOptions { TimeUnit = TimeSpan.Zero }));
        Assert.Equal(EdgeErrorCode.InvalidArgument, bad.Code);
        Assert.Contains("CsvReplayOptions.TimeUnit", bad.Message);
    }

    [Fact]
    public void The_end_of_the_file_is_EndOfData_on_every_further_read()
    {
        using var source = Replay("time,a\n0,1\n");
        Assert.True(source.TryRead(out _));
        for (int i = 0; i < 3; i++)
        {
            Assert.False(source.TryRead(out var s));
            Assert.Equal(SensorStatus.EndOfData, s.Status);
        }
    }

    [Fact]
    public void A_missing_time_column_is_a_one_line_error_naming_line_1_and_the_option()
    {
        var e = Assert.Throws<EdgeException>(() => Replay("t,a,b\n0,1,2\n"));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Equal("run.csv line 1: no column 'time' in the header (t, a, b); set CsvReplayOptions.TimeColumn to the column that holds the time.", e.Message);
    }

    [Fact]
    public void A_missing_channel_column_is_a_one_line_error_naming_line_1()
    {
        var e = Assert.Throws<EdgeException>(() => Replay("time,a\n0,1\n", new CsvReplayOptions { Channels = ["a", "bias_current"] }));
        Assert.StartsWith("run.csv line 1: no channel column 'bias_current'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_row_with_a_missing_cell_is_a_one_line_error_naming_its_line()
    {
        using var source = Replay("time,a,b\n0,1,2\n\n1,3\n");
        Assert.True(source.TryRead(out _));
        Assert.True(source.TryRead(out _));
        var e = Assert.Throws<EdgeException>(() => source.TryRead(out _));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        // Line 3 is blank and skipped; the short row is line 4 of the file.
        Assert.Equal("run.csv line 4: 2 cells where the header has 3; every row needs a cell (empty if unknown) for every column.", e.Message);
    }

    [Fact]
    public void A_non_numeric_cell_is_a_bad_sample_naming_line_and_column_and_the_replay_goes_on()
    {
        using var source = Replay("time,a,b\n0,1,2\n1,abc,3\n2,4,5\n");
        var samples = ReadAll(source);
        Assert.Equal(6, samples.Count);
        Assert.Equal(SensorStatus.InvalidData, samples[2].Status);
        Assert.Equal(0.0, samples[2].Value);
        Assert.Equal(SensorStatus.Ok, samples[3].Status);
        Assert.Equal(3.0, samples[3].Value);
        Assert.Equal([1.0, 2.0, 3.0, 4.0, 5.0], samples.Where(s => s.IsOk).Select(s => s.Value));
        Assert.Equal("run.csv line 3, column 'a': 'abc' is not a number", source.LastProblem);
        Assert.Equal(1, source.BadValues);
    }

    [Theory]
    [InlineData("NaN", "'NaN' is not a finite number")]
    [InlineData("-Infinity", "'-Infinity' is not a finite number")]
    [InlineData("", "the cell is empty")]
    public void A_NaN_infinite_or_empty_cell_is_a_bad_sample_never_a_NaN_value(string cell, string why)
    {
        using var source = Replay($"time,a\n0,1\n1,{cell}\n");
        var samples = ReadAll(source);
        Assert.Equal(SensorStatus.InvalidData, samples[1].Status);
        Assert.Equal(0.0, samples[1].Value);
        Assert.False(double.IsNaN(samples[1].Value));
        Assert.Equal($"run.csv line 3, column 'a': {why}", source.LastProblem);
    }

    [Fact]
    public void A_time_that_goes_backwards_is_a_one_line_error_naming_both_lines()
    {
        using var source = Replay("time,a\n0.0,1\n0.5,2\n0.25,3\n");
        Assert.True(source.TryRead(out _));
        Assert.True(source.TryRead(out _));
        var e = Assert.Throws<EdgeException>(() => source.TryRead(out _));
        Assert.Equal("run.csv line 4: time '0.25' is earlier than line 3's '0.5'; sort the rows by 'time' (a replay cannot go back in time).", e.Message);
    }

    [Theory]
    [InlineData("time,a\n0,1\nsoon,2\n", "run.csv line 3: time 'soon' in column 'time' is neither seconds nor an ISO-8601 time")]
    [InlineData("time,a\n0,1\nNaN,2\n", "run.csv line 3: time 'NaN' is not a finite number")]
    [InlineData("time,a\n0,1\n2026-01-01T00:00:00Z,2\n", "run.csv line 3: time '2026-01-01T00:00:00Z' is an ISO-8601 time but line 2 was in seconds")]
    public void A_bad_time_cell_is_a_one_line_error_naming_the_line(string csv, string start)
    {
        using var source = Replay(csv);
        source.TryRead(out _);
        var e = Assert.Throws<EdgeException>(() => source.TryRead(out _));
        Assert.StartsWith(start, e.Message);
    }

    [Fact]
    public void An_original_rate_replay_never_hands_out_a_row_before_its_time()
    {
        using var source = Replay("time,a\n0,1\n0.1,2\n0.2,3\n0.3,4\n", new CsvReplayOptions());
        var clock = Stopwatch.StartNew();
        var seenAt = new List<TimeSpan>();
        while (source.TryRead(out _)) seenAt.Add(clock.Elapsed);
        Assert.Equal(4, seenAt.Count);
        for (int row = 1; row < 4; row++) Assert.True(seenAt[row] >= TimeSpan.FromSeconds(0.1 * row), $"row {row} at {seenAt[row]}");
    }

    [Fact]
    public void An_accelerated_replay_waits_the_recorded_time_divided_by_the_factor()
    {
        // Two recorded seconds at 10x: at least 0.2 s, and far less than the recorded 2 s.
        using var source = Replay("time,a\n0,1\n1,2\n2,3\n", new CsvReplayOptions { Pace = ReplayPace.Accelerated, Acceleration = 10 });
        var clock = Stopwatch.StartNew();
        var samples = new List<SensorSample>();
        while (source.TryRead(out var s)) samples.Add(s);
        Assert.Equal(3, samples.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.2));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(2), samples[2].Timestamp);
    }

    [Fact]
    public void As_fast_as_possible_does_not_wait_for_the_recorded_hour()
    {
        using var source = Replay("time,a\n0,1\n1800,2\n3600,3\n");
        var clock = Stopwatch.StartNew();
        Assert.Equal(3, ReadAll(source).Count);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(30));
    }

    [Fact]
    public void Open_names_a_file_that_does_not_exist()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "run.csv");
        var e = Assert.Throws<EdgeException>(() => CsvReplaySource.Open(path));
        Assert.Equal(EdgeErrorCode.FileNotFound, e.Code);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void Open_replays_a_file_and_names_it_in_errors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "time,a\n0,1\n1,x\n");
        try
        {
            using var source = CsvReplaySource.Open(path, new CsvReplayOptions { Pace = ReplayPace.AsFastAsPossible });
            var samples = ReadAll(source);
            Assert.Equal(2, samples.Count);
            Assert.Equal($"{Path.GetFileName(path)} line 3, column 'a': 'x' is not a number", source.LastProblem);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
