using Edge.Streams;

namespace Edge.Runtime.Tests.Streams;

/// <summary>
/// What a stream lets in: non-finite inputs never reach the state, states holding NaN are never loaded, and a
/// stream stepped from two threads at once is refused while one model shared by many threads, each with its own
/// streams, gives exactly the single-threaded results.
/// </summary>
public sealed class StreamBoundaryTests : IDisposable
{
    private readonly TestPackage _gru = GruAttentionSpec.Random(41, 3, 16, 2, 6, 2, 0, true).Write();
    private readonly TempFolder _tmp = new();
    private readonly string _aaren;

    public StreamBoundaryTests() => _aaren = AarenSpec.Random(5).WritePackage(_tmp.File("aaren"));

    public void Dispose()
    {
        _gru.Dispose();
        _tmp.Dispose();
    }

    public static TheoryData<string> Families() => new("gru-attention", "aaren");

    private string Folder(string family) => family == "aaren" ? _aaren : _gru.Folder;

    private static float[] Input(EdgeModel m, int t) => Enumerable.Range(0, m.InputSize).Select(i => MathF.Sin(0.3f * t + i)).ToArray();

    [Theory]
    [MemberData(nameof(Families))]
    public void A_stream_whose_input_contains_NaN_keeps_its_previous_state_and_reports_the_bad_sample(string family)
    {
        using var model = EdgeModel.Load(Folder(family));
        using var clean = model.CreateStream();
        using var dirty = model.CreateStream();
        var y = new float[model.OutputSize];
        var yDirty = new float[model.OutputSize];
        for (int t = 0; t < 20; t++)
        {
            clean.Step(Input(model, t), y);
            dirty.Step(Input(model, t), yDirty);
        }
        var before = dirty.Snapshot().Bytes;
        var bad = Input(model, 20);
        bad[bad.Length - 1] = float.NaN;
        yDirty.AsSpan().Fill(7f);

        var e = Assert.Throws<EdgeException>(() => dirty.Step(bad, yDirty));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains($"input[{bad.Length - 1}] is NaN at step 20", e.Message);
        bad[0] = float.PositiveInfinity;
        Assert.False(dirty.TryStep(bad, yDirty));

        Assert.Equal(before, dirty.Snapshot().Bytes);
        Assert.Equal(20, dirty.StepCount);
        Assert.Equal(2, dirty.RejectedInputs);
        Assert.All(yDirty, v => Assert.Equal(7f, v));
        // The bad samples cost nothing afterwards: the next good steps match a stream that never saw them.
        for (int t = 20; t < 40; t++)
        {
            clean.Step(Input(model, t), y);
            Assert.True(dirty.TryStep(Input(model, t), yDirty));
            Assert.Equal(y, yDirty);
        }
    }

    [Fact]
    public void A_state_file_or_snapshot_holding_NaN_is_refused_and_the_stream_is_unchanged()
    {
        using var model = EdgeModel.Load(_gru.Folder);
        using var stream = model.CreateStream();
        var y = new float[model.OutputSize];
        stream.Step(Input(model, 0), y);
        var good = stream.Snapshot();
        var poisoned = stream.Snapshot();
        var entry = model.State.Entries[0];
        StateLayout.Floats(poisoned.Bytes.AsSpan(), entry)[1] = float.NaN;

        // A file with a valid checksum over a NaN: what a stream that had gone bad would have saved.
        string path = _tmp.File("nan-state.safetensors");
        StateFile.Save(path, model.State, model.Family, model.Sha256, 1, poisoned.Bytes);
        var e = Assert.Throws<EdgeException>(() => stream.LoadState(path));
        Assert.Equal(EdgeErrorCode.InvalidState, e.Code);
        Assert.Contains($"{entry.Name}[1] = NaN", e.Message);
        Assert.Equal(EdgeErrorCode.InvalidState, Assert.Throws<EdgeException>(() => stream.Restore(poisoned)).Code);
        Assert.Equal(good.Bytes, stream.Snapshot().Bytes);
    }

    [Fact]
    public void Aaren_states_keep_their_minus_infinity_running_maximum_through_a_state_file()
    {
        // −∞ is a running maximum's "nothing seen yet", not a bad value: a fresh aaren state saves and loads.
        using var model = EdgeModel.Load(_aaren);
        using var stream = model.CreateStream();
        string path = _tmp.File("fresh-aaren.safetensors");
        stream.SaveState(path);
        Assert.Contains(double.NegativeInfinity, StateLayout.Doubles(stream.Snapshot().Bytes, model.State["m"]).ToArray());
        stream.LoadState(path);
        Assert.Equal(0, stream.StepCount);
    }

    [Fact]
    public void A_stream_stepped_from_two_threads_at_once_is_refused_with_ConcurrentUse()
    {
        using var model = EdgeModel.Load(_aaren);
        using var shared = model.CreateStream();
        var refused = new List<EdgeException>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        void Hammer()
        {
            var x = Input(model, 1);
            var y = new float[model.OutputSize];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    shared.Step(x, y);
                }
                catch (EdgeException e)
                {
                    lock (refused) refused.Add(e);
                    stop.Cancel();
                }
            }
        }
        var threads = new[] { new Thread(Hammer), new Thread(Hammer) };
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Equal(EdgeErrorCode.ConcurrentUse, e.Code));
        Assert.Contains("two threads at once", refused[0].Message);
    }

    [Fact]
    public void One_model_shared_by_four_threads_each_with_its_own_streams_gives_the_single_threaded_results_bit_for_bit()
    {
        using var model = EdgeModel.Load(_gru.Folder);
        const int Streams = 8, Steps = 400;
        float[] RunOne(int s)
        {
            using var stream = model.CreateStream();
            var y = new float[model.OutputSize];
            var all = new float[Steps * model.OutputSize];
            for (int t = 0; t < Steps; t++)
            {
                stream.Step(Input(model, t + 13 * s), y);
                y.CopyTo(all, t * model.OutputSize);
            }
            return all;
        }
        var serial = Enumerable.Range(0, Streams).Select(RunOne).ToArray();
        var parallel = new float[Streams][];
        var threads = Enumerable.Range(0, 4).Select(k => new Thread(() =>
        {
            for (int s = k; s < Streams; s += 4) parallel[s] = RunOne(s);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        for (int s = 0; s < Streams; s++) Assert.Equal(serial[s], parallel[s]);
    }
}
