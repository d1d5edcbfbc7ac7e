using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;

namespace Edge.Samples.LaserPdm;

/// <summary>What one replayed run gave: its alerts, the first detection with the RUL estimate there, and end of life.</summary>
/// <param name="Unit">The file's name without extension (unit_038).</param>
/// <param name="Samples">Readings accepted.</param>
/// <param name="Rejected">Readings rejected (bad values, sensor faults, time out of order).</param>
/// <param name="Alerts">Readings the detector flagged.</param>
/// <param name="FirstAlertHours">Time of the first flag, hours, or null.</param>
/// <param name="RulAtFirstAlertHours">The RUL model's estimate at the first flag, hours.</param>
/// <param name="EndOfLifeHours">When the pipeline confirmed end of life, hours, or null.</param>
/// <param name="LastRulHours">The RUL estimate at the last reading, hours.</param>
public sealed record UnitResult(string Unit, long Samples, long Rejected, long Alerts, double? FirstAlertHours, double? RulAtFirstAlertHours,
    double? EndOfLifeHours, double? LastRulHours);

/// <summary>Replays one aging run's CSV through a fresh pipeline; the sample's core, also run by the tests.</summary>
public static class UnitReplay
{
    /// <summary>Replays <paramref name="csv"/> as fast as possible; <paramref name="onStep"/> sees the pipeline's answer to every reading.</summary>
    public static UnitResult Run(MaintenanceModels models, string csv, Action<MaintenanceStep>? onStep = null)
    {
        using var source = LaserRunCsv.Open(csv);
        var frames = new LaserFrameReader(source);
        using var pipeline = new MaintenancePipeline(models);
        double? rulAtFirst = null, lastRul = null;
        while (frames.TryRead(out var reading))
        {
            var step = pipeline.Step(reading);
            if (step.IsFirstDetection) rulAtFirst = step.RulHours;
            if (step.RulHours is { } r) lastRul = r;
            onStep?.Invoke(step);
        }
        return new UnitResult(Path.GetFileNameWithoutExtension(csv), pipeline.Samples, pipeline.Rejected, pipeline.Alerts,
            Hours(pipeline.DetectedAt), rulAtFirst, Hours(pipeline.EndOfLifeAt), lastRul);
    }

    /// <summary>A time of a laser-aging run (hours from the Unix epoch, the way <see cref="LaserRunCsv"/> reads time_h) in hours.</summary>
    public static double? Hours(DateTimeOffset? t) => t is { } v ? (v - DateTimeOffset.UnixEpoch).TotalHours : null;
}
