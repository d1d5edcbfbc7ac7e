using System.Globalization;
using Edge.Diagnostics;
using ScottPlot;

namespace Edge.Cli.Plots;

/// <summary>The constant-memory benchmark as a PNG: µs per step and bytes held against steps, aaren and the KV-cache Transformer, log scales.</summary>
internal static class ConstantMemoryPlot
{
    public static void Save(ConstantMemoryResult r, string path)
    {
        var aarenColor = Colors.C0;
        var tfColor = Colors.C1;
        double[] steps = r.CurveSteps.Select(s => (double)s).ToArray();

        var time = new Plot();
        var a = time.Add.ScatterLine(steps, LogAxis.Log10(r.AarenCurveUs), aarenColor);
        a.LegendText = "Aaren (constant state)";
        a.LineWidth = 2;
        var t = time.Add.ScatterLine(steps, LogAxis.Log10(r.TransformerCurveUs), tfColor);
        t.LegendText = "Transformer (KV cache)";
        t.LineWidth = 2;
        LogAxis.Apply(time.Axes.Left, v => v.ToString(v < 1 ? "0.#" : "#,0", CultureInfo.InvariantCulture));
        time.Title("µs per step");
        time.XLabel("step");
        time.YLabel("µs per step (log)");
        time.ShowLegend(Alignment.UpperLeft);

        var memory = new Plot();
        double[] lengths = r.Rows.Select(x => (double)x.Steps).ToArray();
        double[] x2 = [1, .. lengths];
        double[] logX = LogAxis.Log10(x2);
        var sb = memory.Add.ScatterLine(logX, LogAxis.Log10(x2.Select(_ => (double)r.Rows[0].AarenStateBytes)), aarenColor);
        sb.LegendText = "Aaren state";
        sb.LineWidth = 2;
        double perStep = r.Rows[0].TransformerCacheBytes / (double)r.Rows[0].Steps;
        var cb = memory.Add.ScatterLine(logX, LogAxis.Log10(x2.Select(n => perStep * n)), tfColor);
        cb.LegendText = "Transformer KV cache";
        cb.LineWidth = 2;
        LogAxis.Apply(memory.Axes.Left, Bytes);
        LogAxis.Apply(memory.Axes.Bottom, v => v.ToString("#,0", CultureInfo.InvariantCulture));
        memory.Title("bytes held per stream");
        memory.XLabel("step (log)");
        memory.YLabel("bytes (log)");
        memory.ShowLegend(Alignment.UpperLeft);

        var both = new Multiplot(time);
        both.AddPlot(memory);
        both.Layout = new ScottPlot.MultiplotLayouts.Columns();
        try
        {
            both.SavePng(path, 1200, 450);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot write the plot ({e.Message}). Check the folder's permissions and free space.");
        }
    }

    // Ticks sit on powers of ten, so decimal units label them exactly.
    private static string Bytes(double b) => b switch
    {
        >= 1e9 => $"{b / 1e9:0.#} GB",
        >= 1e6 => $"{b / 1e6:0.#} MB",
        >= 1e3 => $"{b / 1e3:0.#} kB",
        _ => $"{b:0} B",
    };
}
