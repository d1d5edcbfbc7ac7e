using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;
using Edge.TestSupport;

namespace Edge.Monitor.Tests;

/// <summary>The alert ids an uninterrupted run of the pipeline over one CSV raises, computed without the daemon.</summary>
public static class ReferenceAlerts
{
    public static string ModelsFolder => Path.Combine(RepoPaths.Root, "models");

    public static string Unit(int unit) => Path.Combine(RepoPaths.Root, "models", "laser-aging", "data", "test", $"unit_{unit:D3}.csv");

    public static HashSet<string> Ids(string device, string stream, string csv)
    {
        using var models = MaintenanceModels.LoadFolder(ModelsFolder);
        using var pipeline = new MaintenancePipeline(models);
        using var source = LaserRunCsv.Open(csv);
        var frames = new LaserFrameReader(source);
        var ids = new HashSet<string>();
        for (long position = 0; frames.TryRead(out var reading); position++)
        {
            var step = pipeline.Step(reading);
            if (step.Kind != MaintenanceStepKind.Rejected && (step.IsAlert || step.IsEndOfLife)) ids.Add($"{device}/{stream}/{position}");
        }
        return ids;
    }
}
