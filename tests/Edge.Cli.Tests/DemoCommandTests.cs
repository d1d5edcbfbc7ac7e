namespace Edge.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public void Demo_runs_every_embedded_model_and_all_its_checks_pass()
    {
        var r = CliRunner.Run("demo");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("demo: all checks passed", r.Stdout);
        Assert.DoesNotContain("FAILED", r.Stdout);
        foreach (var section in new[] { "gru-attention-ecg: next-sample", "on ONNX Runtime (onnx:cpu)", "lina-reference: gla-tts", "aaren-co2: Aaren", "laser pdm: predictor, cae detector and RUL", "monitor daemon: " })
            Assert.Contains(section, r.Stdout);
        Assert.Contains("0 bytes allocated per step", r.Stdout);
    }
}
