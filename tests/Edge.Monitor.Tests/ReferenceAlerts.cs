using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;
using Edge.Monitor.Config;
using Edge.Monitor.Streams;
using Edge.TestSupport;

namespace Edge.Monitor.Tests;

/// <summary>The alerts an uninterrupted run of the pipeline over one CSV raises (coalesced as the daemon does), computed without the daemon.</summary>
public static class ReferenceAlerts
{
    public static string ModelsFolder => Path.Combine(RepoPaths.Root, "models");

    public static string Unit(int unit) => Path.Combine(RepoPaths.Root, "models", "laser-aging", "data", "test", $"unit_{unit:D3}.csv");

    /// <summary>The ids, with the config's coalescing (<see cref="AlertsConfig"/>'s defaults unless given).</summary>
    public static HashSet<string> Ids(string device, string stream, string csv, int? repeatEvery = null, int? clearAfter = null) =>
        Kinds(csv, repeatEvery, clearAfter).Select(a => $"{device}/{stream}/{a.Position}").ToHashSet();

    /// <summary>Each alert's position and kind, in order.</summary>
    public static List<(long Position, string Kind)> Kinds(string csv, int? repeatEvery = null, int? clearAfter = null)
    {
        var defaults = new AlertsConfig();
        var coalescer = new AlertCoalescer(repeatEvery ?? defaults.RepeatEvery, clearAfter ?? defaults.ClearAfter);
        using var models = MaintenanceModels.LoadFolder(ModelsFolder);
        using var pipeline = new MaintenancePipeline(models);
        using var source = LaserRunCsv.Open(csv);
        var frames = new LaserFrameReader(source);
        var alerts = new List<(long, string)>();
        for (long position = 0; frames.TryRead(out var reading); position++)
        {
            var step = pipeline.Step(reading);
            if (step.Kind != MaintenanceStepKind.Rejected && coalescer.Next(step, position, out _) is { } kind) alerts.Add((position, kind));
        }
        return alerts;
    }

    /// <summary>Readings the detector flags in <paramref name="csv"/> (what an uncoalesced run would raise, end of life aside).</summary>
    public static int Flagged(string csv)
    {
        using var models = MaintenanceModels.LoadFolder(ModelsFolder);
        using var pipeline = new MaintenancePipeline(models);
        using var source = LaserRunCsv.Open(csv);
        var frames = new LaserFrameReader(source);
        int flagged = 0;
        while (frames.TryRead(out var reading)) if (pipeline.Step(reading) is { Kind: MaintenanceStepKind.Scored, IsAlert: true }) flagged++;
        return flagged;
    }
}
