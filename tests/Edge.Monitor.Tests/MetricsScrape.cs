using System.Globalization;
using System.Text.RegularExpressions;

namespace Edge.Monitor.Tests;

/// <summary>Reads the daemon's Prometheus endpoint over HTTP, as a scraper does, and looks up samples by name and labels.</summary>
public static partial class MetricsScrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [GeneratedRegex(@"^([a-z_]+)(\{[^}]*\})? (\S+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();

    /// <summary>The samples of one scrape, keyed <c>name{labels}</c> exactly as exposed; empty while the endpoint is not up.</summary>
    public static Dictionary<string, double> Read(int port)
    {
        string text;
        try { text = Http.GetStringAsync($"http://127.0.0.1:{port}/metrics").GetAwaiter().GetResult(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return []; }
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in Sample().Matches(text))
            values[m.Groups[1].Value + m.Groups[2].Value] = double.Parse(m.Groups[3].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return values;
    }

    /// <summary>The value of <paramref name="key"/> (<c>name</c> or <c>name{labels}</c>), or 0 when not exposed.</summary>
    public static double Value(this Dictionary<string, double> scrape, string key) => scrape.GetValueOrDefault(key);
}
