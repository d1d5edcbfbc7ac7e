using Edge.Maintenance.Pipeline;
using ScottPlot;

namespace Edge.Cli.Plots;

/// <summary>A pipeline run as a PNG: the degradation signal with the predictor's forecast, the anomaly score with its threshold, and the RUL estimate, against time.</summary>
internal static class PdmPlot
{
    /// <summary>What is drawn, one entry per scored reading.</summary>
    public sealed class Series
    {
        public List<double> Hours { get; } = [];
        public List<double> Signal { get; } = [];
        public List<double> Predicted { get; } = [];
        public List<double> Score { get; } = [];
        public List<(double Hours, double Rul)> Rul { get; } = [];
        public double? FirstAlert { get; private set; }
        public double? EndOfLife { get; private set; }

        public void Add(double hours, in MaintenanceStep step)
        {
            Hours.Add(hours);
            Signal.Add(step.RelativeBias);
            // The prediction made here is for the next reading; drawn at this reading, a missing one leaves a gap.
            Predicted.Add(step.PredictedNext ?? double.NaN);
            Score.Add(step.Score);
            if (step.RulHours is { } r) Rul.Add((hours, r));
            if (step.IsFirstDetection) FirstAlert = hours;
            if (step.IsEndOfLife) EndOfLife = hours;
        }
    }

    public static void Save(string path, string title, Series s, float threshold)
    {
        double[] x = [.. s.Hours];
        var signal = new Plot();
        var measured = signal.Add.ScatterLine(x, s.Signal.ToArray(), Colors.C0);
        measured.LegendText = "rel_bias (measured)";
        var predicted = signal.Add.ScatterLine(x.Skip(1).ToArray(), s.Predicted.SkipLast(1).ToArray(), Colors.C1);
        predicted.LegendText = "predictor's forecast of it";
        Marks(signal, s);
        signal.Title(title);
        // A dropout reads 0 (rel_bias −1) and would squash the slow rise into a flat line; such readings go off the axis, and the label says so.
        double low = s.Signal.Count > 0 ? s.Signal.Min() : 0;
        bool clipped = low < -0.1;
        if (clipped) signal.Axes.SetLimitsY(-0.1, Math.Max(0.05, s.Signal.Max()) * 1.05);
        if (clipped) measured.LegendText = "rel_bias (measured; dropouts below -0.1 off the axis)";
        signal.YLabel("bias rise (fraction)");
        signal.ShowLegend(Alignment.UpperLeft);

        var score = new Plot();
        var sc = score.Add.ScatterLine(x, s.Score.ToArray(), Colors.C2);
        sc.LegendText = "anomaly score";
        var th = score.Add.HorizontalLine(threshold, 1.5f, Colors.Red, LinePattern.Dashed);
        th.LegendText = "threshold";
        Marks(score, s);
        score.YLabel("score");
        score.ShowLegend(Alignment.UpperLeft);

        var rul = new Plot();
        if (s.Rul.Count > 0)
        {
            var r = rul.Add.ScatterLine(s.Rul.Select(p => p.Hours).ToArray(), s.Rul.Select(p => p.Rul).ToArray(), Colors.C3);
            r.LegendText = "RUL estimate";
            rul.ShowLegend(Alignment.UpperRight);
        }
        Marks(rul, s);
        rul.XLabel("time (h)");
        rul.YLabel("RUL (h)");
        // One time axis for the three panels, so a moment lines up from top to bottom.
        if (x.Length > 1)
        {
            foreach (var p in new[] { signal, score, rul }) p.Axes.SetLimitsX(x[0], x[^1]);
        }

        var all = new Multiplot(signal);
        all.AddPlot(score);
        all.AddPlot(rul);
        all.Layout = new ScottPlot.MultiplotLayouts.Rows();
        try
        {
            all.SavePng(path, 1100, 900);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot write the plot ({e.Message}). Check the folder's permissions and free space.");
        }
    }

    // The first alert and the end of life as vertical lines on every panel.
    private static void Marks(Plot p, Series s)
    {
        if (s.FirstAlert is { } a) p.Add.VerticalLine(a, 1, Colors.Orange, LinePattern.Dotted).LegendText = "first alert";
        if (s.EndOfLife is { } e) p.Add.VerticalLine(e, 1, Colors.Black, LinePattern.Dotted).LegendText = "end of life";
    }
}
