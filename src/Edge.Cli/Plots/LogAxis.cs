using ScottPlot;
using ScottPlot.TickGenerators;

namespace Edge.Cli.Plots;

/// <summary>ScottPlot draws linear axes; a log axis is log10 of the data with ticks labelled by their powers of ten.</summary>
internal static class LogAxis
{
    public static double[] Log10(IEnumerable<double> values) => values.Select(v => Math.Log10(Math.Max(v, 1e-12))).ToArray();

    public static void Apply(IAxis axis, Func<double, string> label)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => label(Math.Pow(10, y)),
        };
    }
}
