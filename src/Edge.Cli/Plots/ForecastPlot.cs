using ScottPlot;

namespace Edge.Cli.Plots;

/// <summary>A forecast as a PNG: the last stretch of history, the forecast, and the held-out truth when there is one.</summary>
internal static class ForecastPlot
{
    /// <summary>Draws rows <paramref name="from"/>..T−1 of history, then the forecast (and truth) after it.</summary>
    public static void Save(string path, string title, string valueName, double[] history, int from, float[] forecast, double[]? truth,
        DateTime[]? times)
    {
        int t = history.Length;
        double X(int row) => times is null ? row : times[row].ToOADate();
        var plt = new Plot();
        var hx = Enumerable.Range(from, t - from).Select(X).ToArray();
        var h = plt.Add.ScatterLine(hx, history[from..t], Colors.C0);
        h.LegendText = "history";
        h.LineWidth = 1.5f;
        // The forecast starts from the last observed point, so the lines join.
        var fx = Enumerable.Range(t - 1, forecast.Length + 1).Select(X).ToArray();
        double[] fy = [history[t - 1], .. forecast.Select(v => (double)v)];
        var fc = plt.Add.ScatterLine(fx, fy, Colors.C1);
        fc.LegendText = "forecast";
        fc.LineWidth = 2;
        // The truth goes on top, dashed, so it shows where the two lines overlap.
        if (truth is { Length: > 0 })
        {
            var tx = fx[..(truth.Length + 1)];
            double[] ty = [history[t - 1], .. truth];
            var tr = plt.Add.ScatterLine(tx, ty, Colors.C2);
            tr.LegendText = "held-out truth";
            tr.LineWidth = 1.5f;
            tr.LinePattern = LinePattern.Dashed;
        }
        var origin = plt.Add.VerticalLine(X(t - 1), 1, Colors.Gray, LinePattern.Dotted);
        origin.LegendText = "forecast origin";
        if (times is not null)
        {
            plt.Axes.DateTimeTicksBottom().TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic
            {
                LabelFormatter = d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd") : d.ToString("MM-dd HH:mm"),
            };
        }
        plt.Title(title);
        plt.XLabel(times is null ? "row" : "time");
        plt.YLabel(valueName);
        plt.ShowLegend(Alignment.UpperLeft);
        try
        {
            plt.SavePng(path, 1100, 500);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot write the plot ({e.Message}). Check the folder's permissions and free space.");
        }
    }
}
