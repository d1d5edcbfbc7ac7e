namespace Edge.Cli.Commands;

/// <summary>A one-line progress bar on standard error, drawn only when it is a terminal so logs stay clean.</summary>
internal sealed class ProgressBar
{
    private readonly TextWriter _err;
    private readonly string _label;
    private readonly bool _enabled;
    private int _lastPercent = -1;

    public ProgressBar(TextWriter err, string label, bool enabled)
    {
        _err = err;
        _label = label;
        _enabled = enabled && ReferenceEquals(err, Console.Error) && !Console.IsErrorRedirected;
    }

    public void Report(double fraction)
    {
        if (!_enabled) return;
        int percent = (int)(Math.Clamp(fraction, 0, 1) * 100);
        if (percent == _lastPercent) return;
        _lastPercent = percent;
        int filled = percent / 4;
        _err.Write($"\r{_label} [{new string('#', filled)}{new string('.', 25 - filled)}] {percent,3}%");
        if (percent == 100) _err.WriteLine();
    }
}
