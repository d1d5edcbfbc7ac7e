using System.Globalization;
using Edge.Cli.Arguments;
using Edge.Onnx.Import;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge import MODEL.onnx -o PKG [--state IN=OUT[,IN=OUT]] [--const NAME=VALUE[,…]] [--input-shape D,D] [--input NAME]
/// [--step-output NAME] [--name NAME] [--json]</c>: a stateful ONNX graph made into an onnx-stateful package.
/// </summary>
internal static class ImportCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("import", args);
        string onnx = a.Positional(0, "MODEL.onnx (the graph to import)");
        a.ExpectPositionals(1);
        string output = a.Required("--output");   // MODEL.onnx exists and the folder can be made: checked as parsed
        var options = new OnnxImportOptions
        {
            State = [.. Pairs(a.Value("--state"), "--state", "IN=OUT").Select(p => (p.Key, p.Value))],
            Constants = Pairs(a.Value("--const"), "--const", "NAME=VALUE").ToDictionary(p => p.Key, p => Number(p.Value, p.Key)),
            InputShape = a.Value("--input-shape") is { } shape ? Shape(shape) : null,
            Input = a.Value("--input"),
            Output = a.Value("--step-output"),
            Name = a.Value("--name"),
        };
        var r = OnnxImporter.Import(onnx, output, options);
        if (a.Flag("--json"))
        {
            stdout.WriteLine(JsonOutput.Serialize(new ImportReport(r.Package, r.Plan.Input, r.Plan.Output,
                [.. r.Plan.State.Select((p, i) => new PairReport(p.Input, p.Output, r.Plan.HowPaired[i]))],
                r.Plan.Constants.ToDictionary(k => k.Name, k => k.Value), r.Plan.InputShape, r.InputSize, r.OutputSize, r.StateBytes, r.Sha256)));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"imported {onnx} as {r.Package} (family onnx-stateful; one trial step ran)");
        stdout.WriteLine(string.Create(c, $"  frame   {r.Plan.Input}: {r.InputSize} floats{(r.Plan.InputShape is { } s ? $" as [{string.Join(", ", s)}]" : "")}"));
        stdout.WriteLine(string.Create(c, $"  output  {r.Plan.Output}: {r.OutputSize} floats"));
        for (int i = 0; i < r.Plan.State.Count; i++) stdout.WriteLine($"  state   {r.Plan.State[i].Input} -> {r.Plan.State[i].Output} ({r.Plan.HowPaired[i]})");
        foreach (var (name, _, value) in r.Plan.Constants) stdout.WriteLine(string.Create(c, $"  const   {name} = {value}"));
        stdout.WriteLine(string.Create(c, $"  state {r.StateBytes} bytes; run it with: edge run {r.Package} --input IN.npy --output OUT.npy --backend onnx"));
        return 0;
    }

    internal sealed record PairReport(string Input, string Output, string How);

    internal sealed record ImportReport(string Package, string Input, string Output, IReadOnlyList<PairReport> State, IReadOnlyDictionary<string, double> Constants,
        long[]? InputShape, int InputSize, int OutputSize, int StateBytes, string Sha256);

    // "a=b,c=d" into pairs; each side non-empty, no name twice.
    private static List<KeyValuePair<string, string>> Pairs(string? text, string option, string form)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (text is null) return list;
        foreach (string item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=');
            if (eq <= 0 || eq == item.Length - 1)
                throw new UsageException($"import: {option} takes {form}[,{form}], not '{MessageText.Value(item, 80)}'.");
            string key = item[..eq].Trim();
            if (list.Any(p => p.Key == key)) throw new UsageException($"import: {option} names '{MessageText.Value(key, 80)}' twice.");
            list.Add(new(key, item[(eq + 1)..].Trim()));
        }
        return list;
    }

    private static double Number(string text, string name) =>
        text is "true" ? 1 : text is "false" ? 0
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
        : throw new UsageException($"import: --const {MessageText.Value(name, 80)}={MessageText.Value(text, 80)}: the value must be a finite number, true or false.");

    private static long[] Shape(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var dims = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] < 1 || dims[i] > 1 << 24)
                throw new UsageException($"import: --input-shape takes positive integers separated by commas (e.g. 1,576), not '{MessageText.Value(text, 80)}'.");
        return dims;
    }
}
