using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;

namespace Edge.Maintenance.Tests;

/// <summary>The pipeline's one state file: a run cut anywhere and resumed from the file gives the uninterrupted run's answers bit for bit.</summary>
public sealed class PipelineStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-pdm-state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Every field of a step, with floats as bits, so "equal" means bit-identical.</summary>
    internal static string Bits(MaintenanceStep s) => string.Join(' ',
        s.Kind, s.Rejection, s.Sample, s.IsAlert, s.IsFirstDetection, s.IsEndOfLife,
        BitConverter.SingleToInt32Bits(s.RelativeBias), BitConverter.SingleToInt32Bits(s.CorrectedBias),
        s.PredictedNext is { } p ? BitConverter.SingleToInt32Bits(p) : -1L, BitConverter.SingleToInt32Bits(s.Score),
        s.RulHours is { } r ? BitConverter.SingleToInt32Bits(r) : -1L);

    internal static List<string> RunAll(MaintenancePipeline pipeline, ReadOnlySpan<LaserReading> readings)
    {
        var result = new List<string>(readings.Length);
        foreach (var r in readings) result.Add(Bits(pipeline.Step(r)));
        return result;
    }

    [Fact]
    public void A_run_cut_anywhere_and_resumed_from_the_state_file_gives_the_same_alerts_bit_for_bit()
    {
        // Unit 59: anomaly at 552 h, sudden failure at 825 h; the cuts fall while collecting the references, before
        // the detector's window is full, one reading before and after the first flag, inside the RUL's run and after end of life.
        var readings = HeldOutUnits.Readings(59);
        using var whole = new MaintenancePipeline(HeldOutUnits.Models);
        var expected = RunAll(whole, readings);
        int first = expected.FindIndex(s => s.Contains(" True True ", StringComparison.Ordinal));
        Assert.Equal(279, first);   // 558 h: the detector README's +6 h against the 552.4 h label
        Assert.Equal(158, whole.Alerts);
        foreach (int cut in new[] { 5, 11, 12, 40, first - 1, first, first + 1, first + 100, readings.Length - 3 })
        {
            using var before = new MaintenancePipeline(HeldOutUnits.Models);
            var got = RunAll(before, readings.AsSpan(0, cut));
            string file = Path.Combine(_dir, $"cut{cut}.pdmstate");
            before.SaveState(file);
            using var after = new MaintenancePipeline(HeldOutUnits.Models);
            after.LoadState(file);
            got.AddRange(RunAll(after, readings.AsSpan(cut)));
            Assert.Equal(expected, got);
            Assert.Equal(whole.Alerts, after.Alerts);
            Assert.Equal(whole.DetectedAt, after.DetectedAt);
            Assert.Equal(whole.EndOfLifeAt, after.EndOfLifeAt);
        }
    }

    [Fact]
    public void Saving_twice_gives_the_same_bytes_and_a_saved_state_resumes_after_reset()
    {
        var readings = HeldOutUnits.Readings(60);
        using var p = new MaintenancePipeline(HeldOutUnits.Models);
        RunAll(p, readings.AsSpan(0, 300));
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        p.SaveState(a);
        p.SaveState(b);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        var rest = RunAll(p, readings.AsSpan(300));
        p.Reset();
        Assert.Equal(0, p.Samples);
        Assert.Null(p.DetectedAt);
        p.LoadState(a);
        Assert.Equal(rest, RunAll(p, readings.AsSpan(300)));
    }

    [Fact]
    public void A_corrupt_truncated_foreign_or_oversized_file_is_refused_and_the_pipeline_goes_on_unchanged()
    {
        var readings = HeldOutUnits.Readings(58);
        using var whole = new MaintenancePipeline(HeldOutUnits.Models);
        var expected = RunAll(whole, readings);

        using var p = new MaintenancePipeline(HeldOutUnits.Models);
        var got = RunAll(p, readings.AsSpan(0, 400));
        string good = Path.Combine(_dir, "good");
        p.SaveState(good);
        byte[] bytes = File.ReadAllBytes(good);

        string Write(string name, byte[] content)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, content);
            return path;
        }
        var flipped = (byte[])bytes.Clone();
        flipped[^20] ^= 0x01;   // inside pipeline.recent or the counters: only the checksum can tell
        var cases = new (string File, EdgeErrorCode Code, string Says)[]
        {
            (Write("flipped", flipped), EdgeErrorCode.InvalidState, "checksum does not match"),
            (Write("truncated", bytes[..(bytes.Length - 100)]), EdgeErrorCode.InvalidState, "truncated"),
            (Write("huge", [.. bytes, .. new byte[1 << 20]]), EdgeErrorCode.InvalidState, "over the limit"),
            (Write("empty", []), EdgeErrorCode.InvalidState, "too short"),
            (Path.Combine(_dir, "missing"), EdgeErrorCode.FileNotFound, "no such pipeline state file"),
            (ModelStateFile(), EdgeErrorCode.InvalidState, "metadata format is 'edge-state', not 'edge-pdm-state'; a single model's state file loads with ModelStream.LoadState"),
        };
        foreach (var (file, code, says) in cases)
        {
            var e = Assert.Throws<EdgeException>(() => p.LoadState(file));
            Assert.Equal(code, e.Code);
            Assert.Contains(says, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        // Nothing of the refused files reached the pipeline: it carries on exactly as the uninterrupted run.
        got.AddRange(RunAll(p, readings.AsSpan(400)));
        Assert.Equal(expected, got);
    }

    [Fact]
    public void A_state_saved_over_other_models_or_options_names_what_differs()
    {
        using var p = new MaintenancePipeline(HeldOutUnits.Models);
        RunAll(p, HeldOutUnits.Readings(57).AsSpan(0, 100));
        string file = Path.Combine(_dir, "s");
        p.SaveState(file);

        // The RUL package loaded in the predictor's place has the same sizes but another identity.
        string models = Path.Combine(RepoPaths.Root, "models");
        using var swapped = MaintenanceModels.Load(Path.Combine(models, "laser-rul"), Path.Combine(models, "laser-detector"), Path.Combine(models, "laser-rul"));
        using var other = new MaintenancePipeline(swapped);
        var e = Assert.Throws<EdgeException>(() => other.LoadState(file));
        Assert.Equal(EdgeErrorCode.StateModelMismatch, e.Code);
        Assert.StartsWith($"{file}: saved with predictor model {HeldOutUnits.Models.Predictor.Sha256[..12]}, but this pipeline's predictor is {swapped.Predictor.Sha256[..12]}", e.Message, StringComparison.Ordinal);

        using var stricter = new MaintenancePipeline(HeldOutUnits.Models, new MaintenancePipelineOptions { EndOfLifeRise = 0.25 });
        e = Assert.Throws<EdgeException>(() => stricter.LoadState(file));
        Assert.Equal($"{file}: saved with end_of_life_rise 0.2, this pipeline uses 0.25; load it with the same MaintenancePipelineOptions.", e.Message);
    }

    private string ModelStateFile()
    {
        using var stream = HeldOutUnits.Models.Detector.CreateStream();
        string path = Path.Combine(_dir, "detector.state");
        stream.SaveState(path);
        return path;
    }
}
