using Edge.Streams;

namespace Edge.Runtime.Tests.Streams;

public class ModelStreamTests : IDisposable
{
    private readonly GruAttentionSpec _spec = GruAttentionSpec.Random(31, 3, 16, 2, 6, 2, 0, true);
    private readonly TestPackage _pkg;
    private readonly EdgeModel _model;
    private readonly TempFolder _tmp = new();
    private readonly float[][] _inputs;

    public ModelStreamTests()
    {
        _pkg = _spec.Write();
        _model = EdgeModel.Load(_pkg.Folder);
        var rng = new Random(3);
        _inputs = Enumerable.Range(0, 300).Select(_ => Rand.Uniform(rng, 3, 4f)).ToArray();
    }

    public void Dispose()
    {
        _model.Dispose();
        _pkg.Dispose();
        _tmp.Dispose();
    }

    private float[] Run(ModelStream s, int from, int to)
    {
        var all = new float[(to - from) * 2];
        for (int t = from; t < to; t++) s.Step(_inputs[t], all.AsSpan((t - from) * 2, 2));
        return all;
    }

    [Fact]
    public void Running_in_chunks_through_state_files_equals_running_serially_bit_for_bit()
    {
        using var serial = _model.CreateStream();
        var expected = Run(serial, 0, 300);

        var pieces = new List<float>();
        string state = _tmp.File("s.safetensors");
        int[] cuts = [0, 1, 57, 200, 300];
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            using var s = _model.CreateStream();
            if (i > 0) s.LoadState(state);
            Assert.Equal(cuts[i], s.StepCount);
            pieces.AddRange(Run(s, cuts[i], cuts[i + 1]));
            s.SaveState(state);
        }
        Assert.Equal(expected, pieces.ToArray());
    }

    [Fact]
    public void Snapshot_restore_fork_and_reset_behave_as_copies_of_the_state()
    {
        using var a = _model.CreateStream();
        Run(a, 0, 100);
        var snap = a.Snapshot();
        using var fork = a.Fork();
        var fromA = Run(a, 100, 200);
        var fromFork = Run(fork, 100, 200);
        Assert.Equal(fromA, fromFork);                        // a fork continues exactly as the original
        a.Restore(snap);
        Assert.Equal(100, a.StepCount);
        Assert.Equal(fromA, Run(a, 100, 200));                // restore rewinds

        a.Reset();
        using var fresh = _model.CreateStream();
        Assert.Equal(Run(fresh, 0, 50), Run(a, 0, 50));       // reset equals a new stream
    }

    [Fact]
    public void A_state_saved_by_another_model_is_refused_and_the_stream_is_unchanged()
    {
        var other = GruAttentionSpec.Random(32, 3, 16, 2, 6, 2, 0, true);   // same sizes, other weights
        using var otherPkg = other.Write();
        using var otherModel = EdgeModel.Load(otherPkg.Folder);
        using var o = otherModel.CreateStream();
        Run(o, 0, 10);
        string path = _tmp.File("other.safetensors");
        o.SaveState(path);

        using var s = _model.CreateStream();
        Run(s, 0, 20);
        var before = s.Snapshot();
        var e = Assert.Throws<EdgeException>(() => s.LoadState(path));
        Assert.Equal(EdgeErrorCode.StateModelMismatch, e.Code);
        Assert.Contains("saved by", e.Message);
        Assert.Equal(before.Bytes, s.Snapshot().Bytes);
        Assert.Equal(20, s.StepCount);
        Assert.Throws<EdgeException>(() => s.Restore(o.Snapshot()));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("empty")]
    [InlineData("garbage")]
    public void A_damaged_state_file_is_refused_with_a_clear_error_and_the_stream_is_unchanged(string damage)
    {
        using var s = _model.CreateStream();
        Run(s, 0, 30);
        string path = _tmp.File("s.safetensors");
        s.SaveState(path);
        var bytes = System.IO.File.ReadAllBytes(path);
        byte[] bad = damage switch
        {
            "truncated" => bytes[..(bytes.Length - 7)],
            "flipped" => Flip(bytes, bytes.Length - 3),
            "empty" => [],
            _ => "not a state file at all"u8.ToArray(),
        };
        System.IO.File.WriteAllBytes(path, bad);
        var before = s.Snapshot();
        var e = Assert.Throws<EdgeException>(() => s.LoadState(path));
        Assert.Equal(EdgeErrorCode.InvalidState, e.Code);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before.Bytes, s.Snapshot().Bytes);
    }

    [Fact]
    public void Saving_replaces_the_file_atomically_and_leaves_no_temporary_files()
    {
        using var s = _model.CreateStream();
        string path = _tmp.File("s.safetensors");
        for (int i = 0; i < 5; i++)
        {
            Run(s, i * 10, i * 10 + 10);
            s.SaveState(path);
        }
        Assert.Equal(["s.safetensors"], Directory.GetFiles(_tmp.Path).Select(Path.GetFileName));
        using var t = _model.CreateStream();
        t.LoadState(path);
        Assert.Equal(50, t.StepCount);
    }

    [Fact]
    public void Wrong_input_or_output_lengths_are_refused()
    {
        using var s = _model.CreateStream();
        var e = Assert.Throws<EdgeException>(() => s.Step(new float[2], new float[2]));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
        Assert.Throws<EdgeException>(() => s.Step(new float[3], new float[1]));
        Assert.Equal(0, s.StepCount);
    }

    private static byte[] Flip(byte[] b, int at)
    {
        var c = (byte[])b.Clone();
        c[at] ^= 0x40;
        return c;
    }
}
