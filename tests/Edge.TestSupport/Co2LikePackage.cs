
namespace Edge.TestSupport;

/// <summary>A small aaren package shaped like models/aaren-co2 (inputs [co2, sin, cos of the year], output the weekly change) with random weights.</summary>
public static class Co2LikePackage
{
    public static object Block() => new Dictionary<string, object>
    {
        ["value_column"] = "co2", ["time_column"] = "date", ["time_format"] = "yyyyMMdd", ["target"] = "delta", ["season"] = 52,
        ["inputs"] = new object[]
        {
            new { kind = "value" },
            new { kind = "sin", clock = "time", period = 365.2425, origin = "1958-01-01" },
            new { kind = "cos", clock = "time", period = 365.2425, origin = "1958-01-01" },
        },
    };

    public static AarenSpec Spec(int seed)
    {
        var spec = AarenSpec.Random(seed, heads: 2, layers: 1);
        spec.InputDim = 3;
        spec.InputMean = [330, 0, 0];
        spec.InputStd = [10, 1, 1];
        spec.Add("in_proj.weight", [spec.DModel, 3], AarenSpec.Gauss(new Random(seed), spec.DModel * 3, 0.5));
        spec.OutputDim = 1;
        spec.OutputMean = [0.03];
        spec.OutputStd = [0.4];
        spec.Add("head.weight", [1, spec.DModel], AarenSpec.Gauss(new Random(seed + 1), spec.DModel, 0.2));
        spec.Add("head.bias", [1], [0.1f]);
        return spec;
    }
}
