using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Edge.Backends;
using Edge.Families;
using Edge.Formats.Safetensors;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Runtime.Tests.Families;

/// <summary>A family defined only here, registered through the load options: no change to src/ is needed to add one.</summary>
public sealed class CustomFamilyTests
{
    /// <summary>"test-decay": y = s ← decay·s + scale·x, elementwise; s is f64 and counted steps are f32.</summary>
    private sealed class DecayFamily : IModelFamily
    {
        public string Name => "test-decay";

        public IReadOnlyList<string> ManifestKeys => ["notes"];

        public StepDescription Describe(ModelPackage package)
        {
            var c = package.CreateConfigReader();
            int width = c.Int("width", min: 1, max: 64);
            c.EnsureNoUnknownKeys();
            var layout = new StateLayout([("s", [width], StateDType.F64), ("steps", [1], StateDType.F32)]);
            return new StepDescription { InputSize = width, OutputSize = width, State = layout, InitialState = new byte[layout.Bytes] };
        }

        public IStepModel CreateCpuModel(ModelPackage package)
        {
            var d = Describe(package);
            using var w = package.OpenWeights();
            var model = new DecayModel(d, w.Take("scale", d.InputSize), w.Take("decay", 1)[0]);
            w.EnsureAllTaken();
            return model;
        }
    }

    private sealed class DecayModel(StepDescription d, float[] scale, float decay) : IStepModel
    {
        public int InputSize => d.InputSize;
        public int OutputSize => d.OutputSize;
        public StateLayout State => d.State;
        public string BackendName => "cpu";
        public IStepSession CreateSession() => new DecaySession(this);
        public void Dispose() { }
        public float[] Scale => scale;
        public double Decay => decay;
    }

    private sealed class DecaySession(DecayModel m) : IStepSession
    {
        private readonly byte[] _state = new byte[m.State.Bytes];

        public void Step(ReadOnlySpan<float> input, Span<float> output)
        {
            var s = StateLayout.Doubles(_state.AsSpan(), m.State["s"]);
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = m.Decay * s[i] + m.Scale[i] * input[i];
                output[i] = (float)s[i];
            }
            StateLayout.Floats(_state.AsSpan(), m.State["steps"])[0]++;
        }

        public void Reset() => Array.Clear(_state);
        public void ReadState(Span<byte> destination) => _state.CopyTo(destination);
        public void WriteState(ReadOnlySpan<byte> source) => source.CopyTo(_state);
        public void Dispose() { }
    }

    private static TestPackage Package() => new("test-decay", new JsonObject { ["width"] = 3 },
        [new("scale", [3], new float[] { 1, 2, 0.5f }), new("decay", [1], new float[] { 0.9f })],
        json => json["notes"] = "a key the family declares");

    [Fact]
    public void A_family_without_reduced_weights_loads_at_fp32_and_refuses_int8_naming_the_option()
    {
        using var pkg = Package();
        using (EdgeModel.Load(pkg.Folder, new EdgeModelOptions { Families = [new DecayFamily()], Precision = Edge.Packages.WeightPrecision.Fp32 })) { }
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(pkg.Folder,
            new EdgeModelOptions { Families = [new DecayFamily()], Precision = Edge.Packages.WeightPrecision.Int8 }));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
        Assert.Contains("EdgeModelOptions.Precision", e.Message, StringComparison.Ordinal);
        Assert.Contains("int8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_registered_in_the_load_options_loads_steps_and_saves_its_f64_state()
    {
        using var pkg = Package();
        var options = new EdgeModelOptions { Families = [new DecayFamily()] };
        using var model = EdgeModel.Load(pkg.Folder, options);
        Assert.Equal("test-decay", model.Family);
        Assert.Equal(8 * 3 + 4, model.State.Bytes);

        using var stream = model.CreateStream();
        var y = new float[3];
        stream.Step([1, 1, 1], y);
        stream.Step([1, 1, 1], y);
        Assert.Equal([1.9f, 3.8f, 0.95f], y);
        Assert.Equal(2f, stream.Snapshot().Floats("steps")[0]);

        using var tmp = new TempFolder();
        stream.SaveState(tmp.File("s.state"));
        using var resumed = model.CreateStream();
        resumed.LoadState(tmp.File("s.state"));
        Assert.Equal(stream.Snapshot().Bytes, resumed.Snapshot().Bytes);   // the f64 sums survive the file exactly
        Assert.Equal((double)0.9f + 1.0, resumed.Snapshot().Doubles("s")[0]);
    }

    [Fact]
    public void Without_the_registration_the_family_is_a_clear_error_naming_the_option()
    {
        using var pkg = Package();
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(pkg.Folder));
        Assert.Equal(EdgeErrorCode.UnsupportedFamily, e.Code);
        Assert.Contains("test-decay", e.Message);
        Assert.Contains("EdgeModelOptions.Families", e.Message);
    }

    [Fact]
    public void A_key_no_family_declares_is_refused()
    {
        using var pkg = new TestPackage("test-decay", new JsonObject { ["width"] = 3 },
            [new("scale", [3], new float[] { 1, 2, 0.5f }), new("decay", [1], new float[] { 0.9f })], json => json["forecast"] = new JsonObject());
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(pkg.Folder, new EdgeModelOptions { Families = [new DecayFamily()] }));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("unknown key 'forecast'", e.Message);
    }
}
