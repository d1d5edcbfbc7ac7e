using Edge.Formats.Npy;

namespace Edge.Cli.Tests;

/// <summary>
/// <c>edge run</c> on every aaren package with a golden run reproduces it to 1e-5 (in output units before
/// denormalization: 1e-5 · output_std), serially and in chunks with state files between them.
/// </summary>
public sealed class AarenRunTests
{
    public static TheoryData<string> Packages() => new(AarenGoldenPackages.All());

    [Theory]
    [MemberData(nameof(Packages))]
    public void Edge_run_reproduces_the_golden_outputs_serially_and_in_chunks(string package)
    {
        string folder = Path.Combine(RepoPaths.Root, package);
        var input = NpyFile.Read(Path.Combine(folder, "golden", "input.npy"));
        var expected = NpyFile.Read(Path.Combine(folder, "golden", "output.npy"));
        using var dir = new TempFolder();
        float[] outputStd;
        using (var model = Edge.Streams.EdgeModel.Load(folder)) outputStd = ((Edge.Families.Aaren.AarenModel)model.StepModel).Config.OutputStd;

        var serial = CliRunner.Run("run", folder, "--input", Path.Combine(folder, "golden", "input.npy"), "--output", dir.File("serial.npy"));
        Assert.Equal(0, serial.ExitCode);
        AssertClose(expected.Data, NpyFile.Read(dir.File("serial.npy")).Data, outputStd, package);

        int t = input.Rows, f = input.Columns;
        int[] cuts = [0, t / 4, t / 2 + 3, t];
        var chunked = new List<float>();
        for (int k = 0; k + 1 < cuts.Length; k++)
        {
            string chunk = dir.File($"in-{k}.npy");
            NpyFile.Write(chunk, new NpyArray([cuts[k + 1] - cuts[k], f], input.Data[(cuts[k] * f)..(cuts[k + 1] * f)]));
            string[] state = k == 0 ? [] : ["--state-in", dir.File($"state-{k - 1}.safetensors")];
            var r = CliRunner.Run(["run", folder, "--input", chunk, "--output", dir.File($"out-{k}.npy"), "--state-out", dir.File($"state-{k}.safetensors"), .. state]);
            Assert.Equal(0, r.ExitCode);
            chunked.AddRange(NpyFile.Read(dir.File($"out-{k}.npy")).Data);
        }
        AssertClose(expected.Data, chunked.ToArray(), outputStd, package + " (chunked)");
        // The running sums travel between calls as f64, so the chunks give exactly the one call's bytes.
        Assert.Equal(NpyFile.Read(dir.File("serial.npy")).Data, chunked.ToArray());
    }

    [Fact]
    public void Edge_bench_on_an_aaren_package_allocates_nothing_per_step_and_reports_its_state_bytes()
    {
        var r = CliRunner.Run("bench", Path.Combine(RepoPaths.Root, "tests", "fixtures", "aaren", "h4-l2-silu"), "--steps", "20000", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("alloc_bytes_per_step").GetDouble());
        Assert.Equal(8 * 2 * (4 + 4 + 16), doc.RootElement.GetProperty("state_bytes").GetInt64());   // L 2, NH 4, D 16, f64
    }

    private static void AssertClose(float[] expected, float[] actual, float[] outputStd, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = expected.Select((e, i) => Math.Abs(e - (double)actual[i]) / Math.Max(1, outputStd[i % outputStd.Length])).Max();
        Assert.True(max <= 1e-5, $"{what}: max |edge run − golden| / max(1, output_std) = {max:E3}");
    }
}
