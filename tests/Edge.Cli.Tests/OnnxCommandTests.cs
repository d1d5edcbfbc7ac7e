using System.Text.Json;
using Edge.Formats.Npy;

namespace Edge.Cli.Tests;

/// <summary>The command line's ONNX options: --backend onnx, --ep, --profile, bench --compare, and info's providers.</summary>
public sealed class OnnxCommandTests : IDisposable
{
    private static readonly string Package = RepoPaths.Fixtures("gru-attention", "lbr-true-w3");
    private static readonly string Input = Path.Combine(Package, "golden", "input.npy");
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-cli-onnx").FullName;

    [Fact]
    public void Run_on_the_onnx_backend_matches_the_cpu_backend_and_the_golden_output()
    {
        string cpuOut = Path.Combine(_dir, "cpu.npy"), onnxOut = Path.Combine(_dir, "onnx.npy");
        var cpu = CliRunner.Run("run", Package, "--input", Input, "--output", cpuOut);
        var onnx = CliRunner.Run("run", Package, "--input", Input, "--output", onnxOut, "--backend", "onnx", "--ep", "cpu");
        Assert.Equal(0, cpu.ExitCode);
        Assert.Equal(0, onnx.ExitCode);
        Assert.Contains("(onnx:cpu)", onnx.Stdout);
        var golden = NpyFile.Read(Path.Combine(Package, "golden", "output.npy")).Data;
        var a = NpyFile.Read(cpuOut).Data;
        var b = NpyFile.Read(onnxOut).Data;
        for (int i = 0; i < golden.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-4f, $"element {i}: cpu {a[i]} onnx {b[i]}");
            Assert.True(Math.Abs(golden[i] - b[i]) <= 1e-4f, $"element {i}: golden {golden[i]} onnx {b[i]}");
        }
    }

    [Theory]
    [InlineData("cuda", "-p:EdgeOnnxRuntime=cuda")]
    [InlineData("dml", "-p:EdgeOnnxRuntime=dml")]
    public void An_execution_provider_this_build_lacks_is_one_line_and_exit_2(string ep, string hint)
    {
        var r = CliRunner.Run("run", Package, "--input", Input, "--output", Path.Combine(_dir, "x.npy"), "--backend", "onnx", "--ep", ep);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"edge: error [BackendUnavailable]: --ep {ep}: execution provider {ep} is unavailable", r.Stderr);
        Assert.Contains(hint, r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "x.npy")));
    }

    [Fact]
    public void A_profile_that_allows_fallback_runs_on_the_cpu_and_says_so_once()
    {
        string profile = Path.Combine(RepoPaths.Root, "device-profiles", "jetson-orin-cuda.json");
        var r = CliRunner.Run("run", Package, "--input", Input, "--output", Path.Combine(_dir, "y.npy"), "--backend", "onnx", "--profile", profile);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("(onnx:cpu)", r.Stdout);
        string notice = Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("edge: execution provider cuda is unavailable", notice);
        Assert.EndsWith("falls back to cpu as device profile jetson-orin-cuda allows.", notice);
    }

    [Theory]
    [InlineData("--ep", "cuda", "use it with --backend onnx")]
    [InlineData("--profile", "x.json", "--profile 'x.json' does not exist")]
    public void Onnx_options_without_the_onnx_backend_are_usage_errors(string option, string value, string message)
    {
        var r = CliRunner.Run("run", Package, "--input", Input, "--output", Path.Combine(_dir, "z.npy"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    [Fact]
    public void A_bad_profile_is_one_line_naming_the_file()
    {
        string bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{"execution_providers": ["cpu"], "threads": 4}""");
        var r = CliRunner.Run("run", Package, "--input", Input, "--output", Path.Combine(_dir, "z.npy"), "--backend", "onnx", "--profile", bad);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown key 'threads'", r.Stderr);
        Assert.Contains(bad, r.Stderr);
        var missing = CliRunner.Run("run", Package, "--input", Input, "--output", Path.Combine(_dir, "z.npy"), "--backend", "onnx", "--profile", "nope.json");
        Assert.Contains("--profile 'nope.json' does not exist", missing.Stderr);
    }

    [Fact]
    public void Bench_compare_prints_both_backends_and_their_ratio()
    {
        var r = CliRunner.Run("bench", Package, "--compare", "--steps", "300", "--warmup", "20");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("cpu ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("onnx:cpu ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("onnx/cpu ", StringComparison.Ordinal) && l.Contains('x'));
    }

    [Fact]
    public void Bench_compare_json_has_both_results_and_the_ratio()
    {
        var r = CliRunner.Run("bench", Package, "--compare", "--steps", "300", "--warmup", "20", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal("cpu", root.GetProperty("cpu").GetProperty("backend").GetString());
        Assert.Equal("onnx:cpu", root.GetProperty("onnx").GetProperty("backend").GetString());
        Assert.Equal(0, root.GetProperty("onnx").GetProperty("alloc_bytes_per_step").GetDouble());
        double ratio = root.GetProperty("ratio").GetProperty("us_per_step_p50").GetDouble();
        double expected = root.GetProperty("onnx").GetProperty("us_per_step_p50").GetDouble() / root.GetProperty("cpu").GetProperty("us_per_step_p50").GetDouble();
        Assert.Equal(expected, ratio, 1e-5 * expected);   // JSON figures carry six significant digits
    }

    [Fact]
    public void Bench_compare_with_backend_is_a_usage_error()
    {
        var r = CliRunner.Run("bench", Package, "--compare", "--backend", "onnx");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("drop --backend", r.Stderr);
    }

    [Fact]
    public void Bench_on_onnx_reports_zero_bytes_allocated_per_step()
    {
        var r = CliRunner.Run("bench", RepoPaths.Models("lstm-stateful"), "--backend", "onnx", "--steps", "2000", "--warmup", "100", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("alloc_bytes_per_step").GetDouble());
    }

    [Fact]
    public void Info_lists_the_execution_providers_of_this_build()
    {
        var text = CliRunner.Run("info");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("execution providers CPUExecutionProvider", text.Stdout);
        Assert.Contains("backend    onnx: available; families gru-attention", text.Stdout);
        Assert.Contains("onnx-stateful; CPUExecutionProvider", text.Stdout);

        var json = CliRunner.Run("info", "--json");
        using var doc = JsonDocument.Parse(json.Stdout);
        var ort = doc.RootElement.GetProperty("onnx_runtime");
        Assert.Equal("cpu", ort.GetProperty("package").GetString());
        Assert.Contains("CPUExecutionProvider", ort.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
