using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;
using Edge.Sensors;
using Edge.Sensors.Replay;

namespace Edge.Maintenance.Tests;

/// <summary>Readings the pipeline must refuse: each is reported with why, and changes nothing that comes after it.</summary>
public sealed class BadReadingTests
{
    [Fact]
    public void NaN_a_failed_sensor_and_a_time_that_goes_back_are_reported_and_leave_every_later_answer_unchanged()
    {
        var readings = HeldOutUnits.Readings(60);
        using var clean = new MaintenancePipeline(HeldOutUnits.Models);
        var expected = PipelineStateTests.RunAll(clean, readings);

        using var p = new MaintenancePipeline(HeldOutUnits.Models);
        var got = new List<string>();
        var rejected = new List<MaintenanceStep>();
        for (int i = 0; i < readings.Length; i++)
        {
            var r = readings[i];
            // Inserted before readings in each phase: collecting the references, scoring, after the first flag (sample 257).
            if (i is 3 or 150 or 300)
            {
                var back = r with { Time = r.Time.AddHours(-3), Bias = r.Bias * 2 };
                foreach (var bad in new[]
                {
                    r with { Bias = double.NaN },
                    r with { CaseTemperature = double.PositiveInfinity },
                    r with { Monitor = 0, Status = SensorStatus.NoResponse, FaultChannel = 1 },
                    r with { Status = SensorStatus.OutOfRange, FaultChannel = 0 },
                    back,
                    i > 0 ? readings[i - 1] : back,   // the previous reading again: not after it
                })
                {
                    rejected.Add(p.Step(bad));
                }
            }
            got.Add(PipelineStateTests.Bits(p.Step(r)));
        }
        Assert.Equal(expected, got);
        Assert.Equal(18, p.Rejected);
        Assert.Equal(clean.Alerts, p.Alerts);
        Assert.All(rejected, s => Assert.Equal(MaintenanceStepKind.Rejected, s.Kind));
        Assert.Equal([MaintenanceRejection.NotFinite, MaintenanceRejection.NotFinite, MaintenanceRejection.SensorStatus, MaintenanceRejection.SensorStatus,
            MaintenanceRejection.TimeNotAfterPrevious, MaintenanceRejection.TimeNotAfterPrevious], rejected.Take(6).Select(s => s.Rejection));
        Assert.Equal(3, rejected[0].Sample);
        Assert.Contains("the monitor channel's status is NoResponse, not Ok", rejected[2].Problem, StringComparison.Ordinal);
        Assert.Contains("not after the previous accepted reading", rejected[4].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_numeric_cell_replayed_from_CSV_is_a_rejected_reading_whose_problem_names_the_line()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edge-pdm-bad-{Environment.ProcessId}.csv");
        var lines = File.ReadAllLines(HeldOutUnits.Csv(57)).Take(30).ToArray();
        lines[20] = lines[20].Replace(lines[20].Split(',')[2], "abc", StringComparison.Ordinal);   // bias_ma of line 21
        lines[25] = string.Join(',', lines[25].Split(',').Select((c, i) => i == 3 ? "NaN" : c));   // monitor_ua of line 26
        File.WriteAllLines(path, lines);
        try
        {
            using var source = LaserRunCsv.Open(path);
            var frames = new LaserFrameReader(source);
            using var p = new MaintenancePipeline(HeldOutUnits.Models);
            var problems = new List<string>();
            while (frames.TryRead(out var r))
            {
                if (p.Step(r).Kind == MaintenanceStepKind.Rejected) problems.Add($"{source.LastProblem} -> {p.Step(r).Rejection}");
            }
            Assert.Equal([$"{Path.GetFileName(path)} line 21, column 'bias_ma': 'abc' is not a number -> SensorStatus",
                $"{Path.GetFileName(path)} line 26, column 'monitor_ua': 'NaN' is not a finite number -> SensorStatus"], problems);
            Assert.Equal(27, p.Samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("unit_id,time_h,monitor_ua,case_temp_c\n1,0,250,70\n", "line 1: no channel column 'bias_ma'")]
    [InlineData("unit_id,time_h,bias_ma,monitor_ua,case_temp_c\n1,0,48,250,70\n1,2,48,250\n", "line 3: 4 cells where the header has 5")]
    [InlineData("unit_id,time_h,bias_ma,monitor_ua,case_temp_c\n1,0,48,250,70\n1,4,48,250,70\n1,2,48,250,70\n", "line 4: time '2' is earlier than line 3's '4'")]
    [InlineData("unit_id,time_h,bias_ma,monitor_ua,case_temp_c\n1,0,48,250,70\n1,x,48,250,70\n", "line 3: time 'x' in column 'time_h' is neither seconds nor an ISO-8601 time")]
    public void A_broken_CSV_is_one_error_naming_the_line(string csv, string says)
    {
        string path = Path.Combine(Path.GetTempPath(), $"edge-pdm-broken-{Environment.ProcessId}.csv");
        File.WriteAllText(path, csv);
        try
        {
            var e = Assert.Throws<EdgeException>(() =>
            {
                using var source = LaserRunCsv.Open(path);
                var frames = new LaserFrameReader(source);
                while (frames.TryRead(out _)) { }
            });
            Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
            Assert.Contains(says, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void First_readings_with_no_positive_current_are_dropped_and_the_references_collected_again()
    {
        using var p = new MaintenancePipeline(HeldOutUnits.Models);
        var t0 = DateTimeOffset.UnixEpoch;
        MaintenanceStep last = default;
        for (int i = 0; i < LaserFeatures.ReferenceSamples; i++) last = p.Step(new LaserReading(t0.AddHours(2 * i), 0, 250, 70));
        Assert.Equal(MaintenanceRejection.ReferencesNotPositive, last.Rejection);
        Assert.False(p.HasReferences);
        Assert.Equal(0, p.Samples);
        for (int i = 0; i < LaserFeatures.ReferenceSamples; i++) last = p.Step(new LaserReading(t0.AddHours(100 + 2 * i), 48, 250, 70));
        Assert.Equal(MaintenanceStepKind.Scored, last.Kind);
        Assert.Equal(11, last.Sample);
        Assert.Equal(0f, last.RelativeBias);
    }
}
