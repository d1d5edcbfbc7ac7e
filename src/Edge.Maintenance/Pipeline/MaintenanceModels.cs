using System.Text.Json;
using Edge.Maintenance.Laser;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Maintenance.Pipeline;

/// <summary>
/// The three models a <see cref="MaintenancePipeline"/> chains, loaded once and checked against the pipeline's contract:
/// a predictor of the next degradation value (5 inputs, 1 output), a detector over a window (5 inputs, outputs
/// [score, flag], a <c>threshold</c> and a <c>window</c> in its config) and a RUL model in hours (5 inputs, 1 output,
/// <c>provenance.warmup_samples</c>). Owns the models; share one instance between pipelines.
/// </summary>
public sealed class MaintenanceModels : IDisposable
{
    /// <summary>The folder names <see cref="LoadFolder"/> looks for, as in the repository's models/ folder.</summary>
    public const string PredictorFolder = "laser-predictor", DetectorFolder = "laser-detector", RulFolder = "laser-rul";

    private MaintenanceModels(EdgeModel predictor, EdgeModel detector, EdgeModel rul)
    {
        Predictor = predictor;
        Detector = detector;
        Rul = rul;
        Check(predictor, "predictor", 1);
        Check(detector, "detector", 2);
        Check(rul, "RUL model", 1);
        var config = new ModelConfig(detector.Package.Config, $"{detector.Package.Path}: model.json config");
        Threshold = config.Float("threshold");
        DetectorWindow = config.Int("window", 1, 1 << 16);
        Fail.If(DetectorWindow < LaserFeatures.ReferenceSamples, EdgeErrorCode.InvalidConfig,
            $"{detector.Package.Path}: the detector's window is {DetectorWindow} samples; the pipeline needs at least {LaserFeatures.ReferenceSamples} (the readings that fix the references are replayed at once, so an earlier score would be lost).");
        RulWarmup = WarmupSamples(rul);
    }

    /// <summary>The predictor of the next rel_bias.</summary>
    public EdgeModel Predictor { get; }

    /// <summary>The anomaly detector (outputs score and flag).</summary>
    public EdgeModel Detector { get; }

    /// <summary>The remaining-useful-life model (hours).</summary>
    public EdgeModel Rul { get; }

    /// <summary>The detector's threshold: a sample is an alert when its score is above it.</summary>
    public float Threshold { get; }

    /// <summary>Samples in the detector's window (its first score comes at this many samples).</summary>
    public int DetectorWindow { get; }

    /// <summary>Samples the RUL model is fed, ending at the first detection, before its first estimate.</summary>
    public int RulWarmup { get; }

    /// <summary>Loads the three packages (folders or zips).</summary>
    public static MaintenanceModels Load(string predictor, string detector, string rul, EdgeModelOptions? options = null)
    {
        var loaded = new List<EdgeModel>(3);
        try
        {
            foreach (var path in new[] { predictor, detector, rul }) loaded.Add(EdgeModel.Load(path, options));
            return new MaintenanceModels(loaded[0], loaded[1], loaded[2]);
        }
        catch
        {
            foreach (var m in loaded) m.Dispose();
            throw;
        }
    }

    /// <summary>Loads laser-predictor, laser-detector and laser-rul from one folder (such as the repository's models/).</summary>
    public static MaintenanceModels LoadFolder(string folder, EdgeModelOptions? options = null)
    {
        Fail.If(!Directory.Exists(folder), EdgeErrorCode.FileNotFound,
            $"{folder}: no such folder; give the folder that holds {PredictorFolder}, {DetectorFolder} and {RulFolder}.");
        return Load(Path.Combine(folder, PredictorFolder), Path.Combine(folder, DetectorFolder), Path.Combine(folder, RulFolder), options);
    }

    private static void Check(EdgeModel model, string role, int outputs)
    {
        string path = model.Package.Path;
        Fail.If(model.InputSize != LaserFeatures.Count || model.OutputSize != outputs, EdgeErrorCode.InvalidConfig,
            $"{path}: the {role} takes {model.InputSize} inputs and writes {model.OutputSize} outputs per step; the pipeline needs {LaserFeatures.Count} and {outputs}.");
        // A package that names its inputs must name the pipeline's features, in order: the same sizes with other features would run and mean nothing.
        if (model.Package.Provenance is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("inputs", out var inputs))
        {
            bool same = inputs.ValueKind == JsonValueKind.Array && inputs.GetArrayLength() == LaserFeatures.Count
                && inputs.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).SequenceEqual(LaserFeatures.Names);
            Fail.If(!same, EdgeErrorCode.InvalidConfig,
                $"{path}: provenance.inputs of the {role} are {MessageText.Value(inputs.GetRawText(), 120)}; the pipeline feeds {string.Join(", ", LaserFeatures.Names)}.");
        }
    }

    private static int WarmupSamples(EdgeModel rul)
    {
        string path = rul.Package.Path;
        if (rul.Package.Provenance is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("warmup_samples", out var w)
            && w.ValueKind == JsonValueKind.Number && w.TryGetInt32(out int n) && n is >= 1 and <= 1 << 16)
        {
            return n;
        }
        return Fail.With<int>(EdgeErrorCode.InvalidConfig,
            $"{path}: model.json provenance.warmup_samples (1 to 65536) is missing or not an integer; the RUL model needs the number of samples to feed it at the first detection.");
    }

    /// <summary>Releases the three models.</summary>
    public void Dispose()
    {
        Predictor.Dispose();
        Detector.Dispose();
        Rul.Dispose();
    }
}
