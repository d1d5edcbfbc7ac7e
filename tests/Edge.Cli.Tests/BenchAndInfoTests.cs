using System.Text.Json;

namespace Edge.Cli.Tests;

public class BenchAndInfoTests
{
    [Fact]
    public void Bench_json_reports_every_documented_field_and_zero_allocation()
    {
        var spec = GruAttentionSpec.Random(51, 3, 16, 1, 8, 2, 0, true);
        using var pkg = spec.Write();
        var r = CliRunner.Run("bench", pkg.Folder, "--steps", "20000", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var j = doc.RootElement;
        foreach (var key in new[] { "us_per_step_p50", "us_per_step_p99", "steps_per_second", "alloc_bytes_per_step", "rss_growth_bytes", "state_bytes", "backend", "machine" })
            Assert.True(j.TryGetProperty(key, out _), $"missing {key}");
        Assert.Equal(0, j.GetProperty("alloc_bytes_per_step").GetDouble());
        Assert.Equal(16 * 4 + (1 + 1 + 16) * 8, j.GetProperty("state_bytes").GetInt64());   // h f32, m c a f64
        Assert.Equal("cpu", j.GetProperty("backend").GetString());
        Assert.True(j.GetProperty("us_per_step_p50").GetDouble() > 0);
        Assert.True(j.GetProperty("us_per_step_p99").GetDouble() >= j.GetProperty("us_per_step_p50").GetDouble());
        // Figures carry their meaningful digits only, never float noise such as 151220.61499911913.
        // (Counts and byte figures are integers, exact as they are.)
        foreach (var p in j.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0))
            Assert.True(SignificantDigits(p.Value.GetRawText()) <= 6, $"{p.Name} = {p.Value.GetRawText()}");
    }

    [Fact]
    public void Bench_batch_json_reports_the_batch_step_its_share_per_stream_and_batch_1_beside_it()
    {
        var r = CliRunner.Run("bench", RepoPaths.Models("gru-attention-ecg"), "--batch", "16", "--steps", "2000", "--warmup", "200", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var j = doc.RootElement;
        Assert.Equal(16, j.GetProperty("batch").GetInt32());
        Assert.True(j.GetProperty("batched").GetBoolean());
        Assert.Equal(2000, j.GetProperty("steps").GetInt64());
        Assert.Equal(0, j.GetProperty("alloc_bytes_per_step").GetDouble());
        double step = j.GetProperty("us_per_step_p50").GetDouble(), perStream = j.GetProperty("us_per_stream_step_p50").GetDouble();
        Assert.True(step > 0);
        Assert.Equal(step / 16, perStream, 0.01 * perStream + 1e-3);
        double cost = j.GetProperty("per_stream_cost_vs_batch1").GetDouble();
        Assert.Equal(perStream / j.GetProperty("batch1_us_per_step_p50").GetDouble(), cost, 0.02 * cost);
        Assert.True(j.GetProperty("stream_steps_per_second").GetDouble() > 0);
        Assert.True(j.GetProperty("batch_speedup").GetDouble() > 0);
        Assert.Equal(592, j.GetProperty("state_bytes").GetInt64());

        var bad = CliRunner.Run("bench", RepoPaths.Models("gru-attention-ecg"), "--batch", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--batch", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Soak_runs_six_adversarial_phases_on_one_stream_finite_with_the_gru_state_inside_minus_one_to_one()
    {
        var spec = GruAttentionSpec.Random(53, 3, 16, 1, 8, 2, 0, true);
        using var pkg = spec.Write();
        var r = CliRunner.Run("bench", pkg.Folder, "--soak", "--steps", "30000", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var j = doc.RootElement;
        Assert.True(j.GetProperty("finite").GetBoolean());
        Assert.Equal(30000, j.GetProperty("steps").GetInt64());
        Assert.Equal(0, j.GetProperty("alloc_bytes_per_step").GetDouble());
        var phases = j.GetProperty("phases").EnumerateArray().ToArray();
        Assert.Equal(["random", "constant", "huge", "alternating_sign", "denormal", "zeros"], phases.Select(p => p.GetProperty("pattern").GetString()));
        foreach (var p in phases)
        {
            Assert.Equal(5000, p.GetProperty("steps").GetInt64());
            Assert.Equal(0, p.GetProperty("non_finite_outputs").GetInt64());
            Assert.Equal(JsonValueKind.Null, p.GetProperty("invalid_state").ValueKind);
            // A GRU's hidden state is a convex mix of tanh outputs: inside [-1, 1] whatever the input.
            Assert.InRange(p.GetProperty("max_abs_state").GetProperty("h").GetDouble(), 0, 1);
        }
        // Huge inputs saturate the gates: the hidden state reaches the edge of its range.
        Assert.True(phases[2].GetProperty("max_abs_state").GetProperty("h").GetDouble() > 0.99);
    }

    [Fact]
    public void Bench_warns_in_one_line_when_it_runs_a_debug_build_and_only_then()
    {
        var spec = GruAttentionSpec.Random(52, 3, 8, 1, 4, 2, 0, true);
        using var pkg = spec.Write();
        var r = CliRunner.Run("bench", pkg.Folder, "--steps", "200", "--warmup", "10", "--json");
        Assert.Equal(0, r.ExitCode);
        var kernels = typeof(Edge.Kernels.MatVec).Assembly;
        bool debugBuild = kernels.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .Cast<System.Diagnostics.DebuggableAttribute>().Any(d => d.IsJITOptimizerDisabled);
        bool warned = r.Stderr.Contains("warning: this is a Debug build of edge", StringComparison.Ordinal);
        Assert.Equal(debugBuild, warned);
        using var doc = JsonDocument.Parse(r.Stdout);   // the warning goes to standard error: --json stays parseable
    }

    private static int SignificantDigits(string number)
    {
        string mantissa = number.Split('e', 'E')[0].TrimStart('-').Replace(".", "", StringComparison.Ordinal);
        return Math.Max(1, mantissa.TrimStart('0').TrimEnd('0').Length);
    }

    [Fact]
    public void Info_json_names_the_machine_and_the_cpu_backend_families()
    {
        var r = CliRunner.Run("info", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var m = doc.RootElement.GetProperty("machine");
        Assert.Equal(Environment.ProcessorCount, m.GetProperty("cores").GetInt32());
        Assert.Contains(doc.RootElement.GetProperty("backends").EnumerateArray(),
            b => b.GetProperty("name").GetString() == "cpu" && b.GetProperty("families").EnumerateArray().Any(f => f.GetString() == "gru-attention"));
    }
}
