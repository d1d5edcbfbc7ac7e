using System.Globalization;
using Edge.Cli.Arguments;
using Edge.Packages;
using Edge.Quantization;

namespace Edge.Cli.Commands;

/// <summary><c>edge quantize PKG --precision fp16|int8|q4 -o PKG2 [--json]</c>: a copy of the package with its matrices stored reduced.</summary>
internal static class QuantizeCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("quantize", args);
        string pkg = a.Positional(0, "PKG (a model package folder)");
        a.ExpectPositionals(1);
        string output = a.Required("--output");
        if (!WeightPrecisions.TryParse(a.Required("--precision"), out var precision)) throw new UsageException("quantize: --precision must be fp16, int8 or q4.");
        var r = PackageQuantizer.Write(pkg, output, precision);
        if (a.Flag("--json"))
        {
            stdout.WriteLine(JsonOutput.Serialize(r));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"quantized {pkg} to {r.Precision}: {r.TensorsReduced} tensors reduced, weights {r.WeightBytesBefore / 1e6:F2} MB -> {r.WeightsFileBytes / 1e6:F2} MB ({100.0 * r.WeightsFileBytes / r.WeightBytesBefore:F0}%)"));
        stdout.WriteLine($"wrote {r.Output} (load it as any package; --precision fp32 widens the weights back at load)");
        return 0;
    }
}
