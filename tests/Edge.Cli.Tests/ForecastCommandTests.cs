using System.Globalization;
using System.Text.Json;

namespace Edge.Cli.Tests;

public sealed class ForecastCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _pkg;

    public ForecastCommandTests()
    {
        _pkg = Co2LikePackage.Spec(41).WritePackage(_dir.File("pkg"), editRoot: r => r["forecast"] = Co2LikePackage.Block());
    }

    public void Dispose() => _dir.Dispose();

    private string Csv(int rows, Func<int, string>? cell = null, string header = "date,co2")
    {
        var lines = new List<string> { header };
        var start = new DateTime(1958, 3, 29);
        for (int i = 0; i < rows; i++)
            lines.Add($"{start.AddDays(7 * i):yyyyMMdd},{cell?.Invoke(i) ?? (315 + 0.03 * i + 3 * Math.Sin(i / 8.3)).ToString("F2", CultureInfo.InvariantCulture)}");
        string path = _dir.File($"data-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Forecast_prints_the_horizon_with_truth_and_MAE_and_draws_a_png()
    {
        string png = _dir.File("forecast.png");
        var r = CliRunner.Run("forecast", _pkg, "--csv", Csv(300), "--horizon", "12", "--plot", png);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("300 rows, column 'co2', time column 'date'", r.Stdout);
        Assert.Contains("history   288 rows streamed one step ahead", r.Stdout);
        Assert.Contains("1963-11-02", r.Stdout);   // row 288's date: 1958-03-29 + 288 weeks
        Assert.Matches(@"MAE       [0-9.]+ over 12 held-out rows \(seasonal naive, season 52: [0-9.]+\)", r.Stdout);
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    [Fact]
    public void Json_holds_every_forecast_step_and_beyond_the_data_the_dates_continue_weekly()
    {
        var r = CliRunner.Run("forecast", _pkg, "--csv", Csv(200), "--horizon", "5", "--holdout", "2", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var j = doc.RootElement;
        Assert.Equal(198, j.GetProperty("history_rows").GetInt32());
        var steps = j.GetProperty("forecast").EnumerateArray().ToList();
        Assert.Equal(5, steps.Count);
        Assert.Equal(JsonValueKind.Number, steps[1].GetProperty("truth").ValueKind);
        Assert.Equal(JsonValueKind.Null, steps[2].GetProperty("truth").ValueKind);
        Assert.Equal(new DateTime(1958, 3, 29).AddDays(7 * 202).ToString("s", CultureInfo.InvariantCulture), steps[4].GetProperty("time").GetString());
        Assert.True(j.GetProperty("mae").GetDouble() >= 0);
    }

    [Fact]
    public void Start_row_streams_from_that_row_and_a_start_past_the_history_is_refused()
    {
        string csv = Csv(200);
        var r = CliRunner.Run("forecast", _pkg, "--csv", csv, "--horizon", "10", "--start-row", "150");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("history   40 rows streamed one step ahead (from row 150; earlier rows feed lags only)", r.Stdout);
        var bad = CliRunner.Run("forecast", _pkg, "--csv", csv, "--horizon", "10", "--start-row", "190");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--start-row 190 leaves nothing to stream", bad.Stderr);
    }

    [Fact]
    public void Gaps_are_interpolated_by_default_and_refused_with_missing_error()
    {
        string csv = Csv(120, i => i is 30 or 31 ? "" : (315 + 0.1 * i).ToString(CultureInfo.InvariantCulture));
        var ok = CliRunner.Run("forecast", _pkg, "--csv", csv, "--horizon", "4");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("2 missing values interpolated", ok.Stdout);
        var r = CliRunner.Run("forecast", _pkg, "--csv", csv, "--horizon", "4", "--missing", "error");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(":32: column 'co2' has no value", r.Stderr);   // header is line 1, row 30 is line 32
    }

    [Theory]
    [InlineData("non-number", ":7: column 'co2' value 'n/a?' is not a number")]
    [InlineData("missing-column", "no column 'co2'. Columns: 0:date, 1:ppm")]
    [InlineData("too-short", "10 data rows leave no history once the last 52 are held out")]
    [InlineData("bad-date", ":4: column 'date' value '1958-04-12' is not a time in the format 'yyyyMMdd'")]
    [InlineData("bad-plot", "--plot writes a PNG")]
    [InlineData("no-csv", "--csv is required")]
    public void Mistakes_are_one_line_errors_with_exit_code_2(string mistake, string message)
    {
        string[] args = mistake switch
        {
            "non-number" => ["--csv", Csv(100, i => i == 5 ? "n/a?" : "316.5")],
            "missing-column" => ["--csv", Csv(100, header: "date,ppm")],
            "too-short" => ["--csv", Csv(10)],
            "bad-date" => ["--csv", BadDate()],
            "bad-plot" => ["--csv", Csv(100), "--plot", "out.jpg"],
            _ => [],
        };
        var r = CliRunner.Run(["forecast", _pkg, .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(message, r.Stderr);
    }

    private string BadDate()
    {
        string path = Csv(100);
        var lines = File.ReadAllLines(path);
        lines[3] = "1958-04-12,316";
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Bench_vs_transformer_reports_rows_in_json_and_a_png()
    {
        string png = _dir.File("bench.png");
        var r = CliRunner.Run("bench", _pkg, "--vs-transformer", "--lengths", "100,300", "--window", "50", "--warmup", "0", "--json", "--plot", png);
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([100L, 300L], rows.Select(x => x.GetProperty("steps").GetInt64()));
        foreach (var key in new[] { "aaren_us_per_step", "aaren_us_per_step_mean", "aaren_state_bytes", "transformer_us_per_step", "transformer_us_per_step_mean", "transformer_cache_bytes" })
            Assert.True(rows[0].TryGetProperty(key, out _), $"missing {key}");
        Assert.Equal(rows[0].GetProperty("aaren_state_bytes").GetInt64(), rows[1].GetProperty("aaren_state_bytes").GetInt64());
        Assert.Equal(3 * rows[0].GetProperty("transformer_cache_bytes").GetInt64(), rows[1].GetProperty("transformer_cache_bytes").GetInt64());
        Assert.Equal(0, doc.RootElement.GetProperty("aaren_alloc_bytes_per_step").GetDouble());
        Assert.True(new FileInfo(png).Length > 10_000);
    }

    [Fact]
    public void Bench_vs_transformer_refuses_descending_lengths_and_non_aaren_packages()
    {
        var r = CliRunner.Run("bench", _pkg, "--vs-transformer", "--lengths", "1000,100");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--lengths must ascend", r.Stderr);
        string gru = Directory.GetDirectories(RepoPaths.Fixtures("gru-attention")).First(d => File.Exists(Path.Combine(d, "model.json")));
        var g = CliRunner.Run("bench", gru, "--vs-transformer", "--lengths", "10", "--warmup", "0");
        Assert.Equal(2, g.ExitCode);
        Assert.Single(g.ErrorLines);
        Assert.Contains("UnsupportedFamily", g.Stderr);
    }
}
