using Edge.Formats.Npy;
using Edge.Formats.Safetensors;

namespace Edge.Cli.Tests;

public class RunCommandTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string WriteInput(int steps, int f, int seed = 9)
    {
        var rng = new Random(seed);
        string path = _tmp.File($"in-{steps}-{f}-{seed}.npy");
        NpyFile.Write(path, new NpyArray([steps, f], Rand.Uniform(rng, steps * f, 3f)));
        return path;
    }

    [Fact]
    public void Run_matches_the_independent_math_and_chunks_with_state_files_equal_one_call()
    {
        var spec = GruAttentionSpec.Random(41, 2, 12, 2, 5, 3, 0, false);
        using var pkg = spec.Write();
        string input = WriteInput(240, 2);
        string whole = _tmp.File("whole.npy");
        var r = CliRunner.Run("run", pkg.Folder, "--input", input, "--output", whole);
        Assert.Equal(0, r.ExitCode);
        var outAll = NpyFile.Read(whole);
        Assert.Equal([240, 3], outAll.Shape);

        var reference = new GruAttentionReference(spec);
        var x = NpyFile.Read(input);
        for (int t = 0; t < 240; t++)
        {
            var expected = reference.Step(x.Row(t).ToArray());
            for (int o = 0; o < 3; o++) Assert.True(Math.Abs(outAll.Row(t)[o] - expected[o]) < 1e-5);
        }

        // Same input in three chunks, the state carried between calls in a file.
        var chunks = new List<float>();
        string state = _tmp.File("state.safetensors");
        int[] cuts = [0, 100, 101, 240];
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            string part = _tmp.File($"part{i}.npy"), outPart = _tmp.File($"out{i}.npy");
            NpyFile.Write(part, new NpyArray([cuts[i + 1] - cuts[i], 2], x.Data[(cuts[i] * 2)..(cuts[i + 1] * 2)]));
            var args = new List<string> { "run", pkg.Folder, "--input", part, "--output", outPart, "--state-out", state };
            if (i > 0) args.AddRange(["--state-in", state]);
            Assert.Equal(0, CliRunner.Run([.. args]).ExitCode);
            chunks.AddRange(NpyFile.Read(outPart).Data);
        }
        Assert.Equal(outAll.Data, chunks.ToArray());
    }

    public static IEnumerable<object[]> BrokenPackages() =>
    [
        ["missing-tensor", "MissingTensor", "head.bias"],
        ["wrong-shape", "ShapeMismatch", "attn.proj.weight"],
        ["unknown-config-key", "InvalidConfig", "hidden_size"],
        ["truncated-weights", "InvalidSafetensors", "truncated"],
        ["extra-tensor", "InvalidPackage", "extra.weight"],
        ["bad-sha", "ChecksumMismatch", "sha256"],
        ["no-model-json", "InvalidPackage", "model.json"],
        ["unknown-family", "UnsupportedFamily", "transformer-xl"],
    ];

    [Theory]
    [MemberData(nameof(BrokenPackages))]
    public void A_broken_package_gives_one_line_naming_the_problem_and_exit_2(string broken, string code, string mentions)
    {
        var spec = GruAttentionSpec.Random(42, 2, 6, 1, 3, 1, 0, true);
        using var pkg = broken switch
        {
            "missing-tensor" => new TestPackage("gru-attention", spec.Config(), spec.Entries(n => n != "head.bias")),
            "wrong-shape" => new TestPackage("gru-attention", spec.Config(),
                spec.Entries(n => n != "attn.proj.weight").Append(new("attn.proj.weight", [6, 3], new float[18])).ToList()),
            "unknown-config-key" => new TestPackage("gru-attention", WithKey(spec), spec.Entries()),
            "extra-tensor" => new TestPackage("gru-attention", spec.Config(), spec.Entries().Append(new("extra.weight", [2], new float[2])).ToList()),
            "bad-sha" => new TestPackage("gru-attention", spec.Config(), spec.Entries(),
                j => j["sha256"] = new System.Text.Json.Nodes.JsonObject { ["weights.safetensors"] = new string('0', 64) }),
            "unknown-family" => new TestPackage("transformer-xl", spec.Config(), spec.Entries()),
            _ => spec.Write(),
        };
        if (broken == "truncated-weights")
        {
            var w = pkg.File("weights.safetensors");
            var bytes = File.ReadAllBytes(w);
            File.WriteAllBytes(w, bytes[..(bytes.Length - 10)]);
        }
        if (broken == "no-model-json") File.Delete(pkg.File("model.json"));

        var r = CliRunner.Run("run", pkg.Folder, "--input", WriteInput(5, 2), "--output", _tmp.File("o.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(code, r.Stderr);
        Assert.Contains(mentions, r.Stderr);
        Assert.False(File.Exists(_tmp.File("o.npy")));
    }

    [Fact]
    public void A_corrupt_state_file_or_input_of_the_wrong_width_gives_one_line_and_exit_2()
    {
        var spec = GruAttentionSpec.Random(43, 2, 6, 1, 3, 1, 0, true);
        using var pkg = spec.Write();
        string input = WriteInput(20, 2);
        string state = _tmp.File("s.safetensors");
        Assert.Equal(0, CliRunner.Run("run", pkg.Folder, "--input", input, "--output", _tmp.File("a.npy"), "--state-out", state).ExitCode);
        var bytes = File.ReadAllBytes(state);
        bytes[^2] ^= 0x11;
        File.WriteAllBytes(state, bytes);

        var r = CliRunner.Run("run", pkg.Folder, "--input", input, "--output", _tmp.File("b.npy"), "--state-in", state);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("checksum", r.Stderr);

        var wide = CliRunner.Run("run", pkg.Folder, "--input", WriteInput(20, 3), "--output", _tmp.File("c.npy"));
        Assert.Equal(2, wide.ExitCode);
        Assert.Contains("[T, 2]", wide.Stderr);
    }

    [Theory]
    [InlineData(new[] { "run" }, "PKG")]
    [InlineData(new[] { "run", "pkg-that-does-not-exist", "--input", "x.npy", "--output", "y.npy" }, "--input 'x.npy' does not exist")]
    [InlineData(new[] { "run", "pkg-that-does-not-exist", "--input", "Edge.Cli.Tests.dll", "--output", "y.npy" }, "PKG 'pkg-that-does-not-exist': no such model package")]
    [InlineData(new[] { "run", ".", "--input" }, "needs a value")]
    [InlineData(new[] { "run", ".", "--bogus", "1" }, "unknown option '--bogus'")]
    [InlineData(new[] { "frobnicate" }, "unknown command")]
    [InlineData(new[] { "bench", ".", "--steps", "-5" }, "--steps")]
    [InlineData(new[] { "run", ".", "--input", "a", "--output", "b", "--backend", "gpu" }, "--backend")]
    public void Command_line_mistakes_give_one_line_and_exit_2(string[] args, string mentions)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(mentions, r.Stderr);
    }

    private static System.Text.Json.Nodes.JsonObject WithKey(GruAttentionSpec spec)
    {
        var c = spec.Config();
        c["hidden_size"] = 6;
        return c;
    }
}
