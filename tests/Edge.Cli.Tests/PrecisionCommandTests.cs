using Edge.Formats.Npy;

namespace Edge.Cli.Tests;

/// <summary>--precision on the commands that load a model, and edge quantize.</summary>
public sealed class PrecisionCommandTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Ecg => RepoPaths.Models("gru-attention-ecg");
    private static string Input => Path.Combine(Ecg, "golden", "input.npy");

    private float[] RunAt(string package, params string[] extra)
    {
        string output = _tmp.File($"out-{Guid.NewGuid():N}.npy");
        var r = CliRunner.Run(["run", package, "--input", Input, "--output", output, .. extra]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return NpyFile.Read(output).Data;
    }

    [Fact]
    public void Run_at_int8_stays_near_fp32_and_a_quantized_package_runs_without_the_flag()
    {
        var fp32 = RunAt(Ecg);
        var int8 = RunAt(Ecg, "--precision", "int8");
        double worst = fp32.Zip(int8, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.True(worst > 0 && worst <= 2e-3, $"int8 vs fp32: {worst:E2}");   // the gru-attention README's table: 9.1e-4

        string q = Path.Combine(_tmp.Path, "ecg-q4");
        var made = CliRunner.Run("quantize", Ecg, "--precision", "q4", "-o", q);
        Assert.True(made.ExitCode == 0, made.Stderr);
        Assert.Contains("to q4", made.Stdout, StringComparison.Ordinal);
        var stored = RunAt(q);
        var asked = RunAt(Ecg, "--precision", "q4");
        double apart = stored.Zip(asked, (a, b) => (double)Math.Abs(a - b)).Max();
        // Within q4's own error (1.3e-2): the GRU packs [W_ih | W_hh] side by side, so its 32-column groups are not the file's and round again.
        Assert.True(apart <= 3e-2, $"q4 package vs --precision q4: {apart:E2}");
    }

    [Theory]
    [InlineData(new[] { "--precision", "int4" }, "--precision")]
    [InlineData(new[] { "--precision", "int8", "--backend", "onnx" }, "--precision sets how the CPU backend keeps weights")]
    public void A_wrong_precision_is_a_one_line_usage_error(string[] extra, string says)
    {
        var r = CliRunner.Run(["run", Ecg, "--input", Input, "--output", _tmp.File("x.npy"), .. extra]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(says, r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Quantize_needs_a_precision_and_an_output()
    {
        Assert.Contains("--precision", CliRunner.Run("quantize", Ecg, "-o", _tmp.File("a")).Stderr, StringComparison.Ordinal);
        Assert.Contains("-o FOLDER", CliRunner.Run("quantize", Ecg, "--precision", "int8").Stderr, StringComparison.Ordinal);
    }
}
