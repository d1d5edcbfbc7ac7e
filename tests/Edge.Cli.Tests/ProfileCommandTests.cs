using System.Text.Json;
using Edge.Onnx.Providers;
using Edge.Packages;

namespace Edge.Cli.Tests;

/// <summary>edge profile detect, and --profile's CPU side on the commands that load a model; bench --roofline.</summary>
public sealed class ProfileCommandTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Ecg => RepoPaths.Models("gru-attention-ecg");

    private string Profile(string json)
    {
        string path = _tmp.File($"p-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Detect_quick_writes_a_profile_that_loads_with_a_choice_for_every_family_and_what_it_measured()
    {
        string path = _tmp.File("mine.json");
        var r = CliRunner.Run("profile", "detect", "-o", path, "--quick");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("profile: measuring memory bandwidth", r.Stderr);
        Assert.Contains($"wrote {path}", r.Stdout);
        var p = DeviceProfile.Load(path);
        Assert.Equal("mine", p.Name);
        Assert.Equal(["aaren", "cae", "gla-tts", "gru-attention"], p.Families.Keys.Order());
        Assert.All(p.Families.Values, f => Assert.True(f.Backend is "cpu" or "onnx"));
        // A batched family on the CPU gets a measured batch limit of the sizes timed; cae steps its streams one by one and gets none.
        foreach (var (family, f) in p.Families)
        {
            if (f.Backend == "cpu" && family != "cae") Assert.Contains(f.BatchLimit!.Value, new[] { 1, 4, 16, 64, 256 });
            else Assert.Null(f.BatchLimit);
        }
        var measured = p.Measured!.Value;
        Assert.True(measured.GetProperty("bandwidth_one_core_bytes_per_second").GetDouble() > 0);
        Assert.True(measured.GetProperty("peak_flops_all_cores").GetDouble() > 0);
        int batchedOnCpu = p.Families.Count(f => f.Value.Backend == "cpu" && f.Key != "cae");
        Assert.Equal(batchedOnCpu, measured.GetProperty("batches").GetArrayLength());
        Assert.All(measured.GetProperty("batches").EnumerateArray(), b => Assert.Equal(5, b.GetProperty("us_per_stream_step_p50").GetArrayLength()));
        // Four precisions on the CPU and ONNX per family; gla-tts, whose step splits its products, again on one thread a core.
        Assert.Equal(4 * 5 + (Environment.ProcessorCount > 1 ? 1 : 0), measured.GetProperty("runs").GetArrayLength());

        // The written profile runs a model.
        var bench = CliRunner.Run("bench", Ecg, "--profile", path, "--steps", "200", "--warmup", "10");
        Assert.True(bench.ExitCode == 0, bench.Stderr);
    }

    [Fact]
    public void A_profile_sets_the_cpu_precision_and_threads_and_explicit_flags_win()
    {
        string p = Profile("""{"backends": ["cpu", "onnx"], "execution_providers": ["cpu"], "cpu": {"precision": "fp16"}, "families": {"gla-tts": {"precision": "int8", "threads": 2}}}""");
        string lina = RepoPaths.Models("lina-reference");
        var r = CliRunner.Run("bench", lina, "--profile", p, "--steps", "50", "--warmup", "5");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("(gla-tts, cpu, int8 weights, 2 threads)", r.Stdout);
        var flags = CliRunner.Run("bench", lina, "--profile", p, "--precision", "fp32", "--threads", "1", "--steps", "50", "--warmup", "5");
        Assert.True(flags.ExitCode == 0, flags.Stderr);
        Assert.Contains("(gla-tts, cpu, fp32 weights, 1 thread)", flags.Stdout);
        var ecg = CliRunner.Run("bench", Ecg, "--profile", p, "--steps", "200", "--warmup", "10");
        Assert.True(ecg.ExitCode == 0, ecg.Stderr);
        Assert.Contains("(gru-attention, cpu, fp16 weights, 1 thread)", ecg.Stdout);
    }

    [Fact]
    public void A_profile_picks_the_backend_when_none_is_given_and_falls_to_onnx_for_a_family_the_cpu_cannot_run()
    {
        string onnxFirst = Profile("""{"backends": ["onnx", "cpu"], "execution_providers": ["cpu"]}""");
        var r = CliRunner.Run("bench", Ecg, "--profile", onnxFirst, "--steps", "200", "--warmup", "10");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("(gru-attention, onnx:cpu", r.Stdout);
        var cpu = CliRunner.Run("bench", Ecg, "--profile", onnxFirst, "--backend", "cpu", "--steps", "200", "--warmup", "10");
        Assert.Contains("(gru-attention, cpu", cpu.Stdout);

        string cpuFirst = Profile("""{"backends": ["cpu", "onnx"], "execution_providers": ["cpu"]}""");
        var stateful = CliRunner.Run("bench", RepoPaths.Models("lstm-stateful"), "--profile", cpuFirst, "--steps", "200", "--warmup", "10");
        Assert.True(stateful.ExitCode == 0, stateful.Stderr);
        Assert.Contains("(onnx-stateful, onnx:cpu", stateful.Stdout);
    }

    [Fact]
    public void A_bad_profile_value_is_one_line_naming_the_file_before_any_model_runs()
    {
        string bad = Profile("""{"backends": ["cpu"], "execution_providers": ["cpu"], "cpu": {"threads": 999}}""");
        var r = CliRunner.Run("bench", Ecg, "--profile", bad, "--steps", "200");
        Assert.Equal(2, r.ExitCode);
        string line = Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("edge: error [InvalidConfig]:", line);
        Assert.Contains(bad, line);
        Assert.Contains("'threads' is 999; it must be between 0 and 256", line);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Bench_roofline_json_counts_the_step_and_places_it_against_both_measured_limits()
    {
        var r = CliRunner.Run("bench", Ecg, "--steps", "2000", "--warmup", "100", "--roofline", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var roof = doc.RootElement.GetProperty("roofline");
        Assert.Equal(16_869, roof.GetProperty("flops_per_step").GetInt64());   // the ECG GRU's products and elementwise work (StepCostTests)
        Assert.Equal(1184, roof.GetProperty("state_bytes_per_step").GetInt64());
        double sps = doc.RootElement.GetProperty("steps_per_second").GetDouble();
        double bytes = roof.GetProperty("weight_bytes_per_step").GetInt64() + 1184.0;
        Assert.Equal(bytes * sps / roof.GetProperty("bandwidth_bytes_per_second").GetDouble(), roof.GetProperty("bandwidth_fraction").GetDouble(), 3);
        Assert.True(roof.GetProperty("peak_flops_one_core").GetDouble() > 0);
        Assert.True(roof.GetProperty("probe_bytes").GetInt64() >= bytes / 2);

        var onnx = CliRunner.Run("bench", Ecg, "--backend", "onnx", "--roofline", "--steps", "200");
        Assert.Equal(2, onnx.ExitCode);
        Assert.Contains("--roofline measures Edge's CPU kernels", onnx.Stderr);
    }
}
