using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Edge.Formats.Npy;

namespace Edge.Cli.Tests;

/// <summary>
/// Command lines from a mutation run of the CLI that exited 70 (internal error) or printed many lines:
/// each now prints exactly one line saying what was wrong and exits 2.
/// </summary>
public sealed class MutationFindingTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly TestPackage _gru = GruAttentionSpec.Random(12, 2, 6, 1, 3, 2, 0, false).Write();
    private readonly string _input;

    public MutationFindingTests()
    {
        _input = _dir.File("in.npy");
        NpyFile.Write(_input, new NpyArray([5, 2], new float[10]));
    }

    public void Dispose()
    {
        _gru.Dispose();
        _dir.Dispose();
    }

    private static string OneUserErrorLine(CliRunner.Result r)
    {
        Assert.Equal(EdgeCommandLine.UserError, r.ExitCode);
        var line = Assert.Single(r.ErrorLines);
        Assert.StartsWith("edge: ", line);
        Assert.True(line.Length < 1200, $"{line.Length} characters");
        Assert.DoesNotContain("internal error", line);
        return line;
    }

    private string Csv(int rows, string header = "date,co2")
    {
        var lines = new List<string> { header };
        var start = new DateTime(1958, 3, 29);
        for (int i = 0; i < rows; i++) lines.Add(string.Create(CultureInfo.InvariantCulture, $"{start.AddDays(7 * i):yyyyMMdd},{315 + 0.03 * i}"));
        string path = _dir.File($"data-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Forecaster() =>
        Co2LikePackage.Spec(41).WritePackage(_dir.File("co2"), editRoot: r => r["forecast"] = Co2LikePackage.Block());

    [Theory]
    [InlineData("--input=")]
    [InlineData("--output", "")]
    [InlineData("--state-in", "")]
    [InlineData("--state-out=")]
    public void Empty_path_option_is_one_line_exit_2(params string[] option)
    {
        var args = new List<string> { "run", _gru.Folder };
        if (option[0] != "--input=") args.AddRange(["--input", _input]);
        if (!option[0].StartsWith("--output", StringComparison.Ordinal)) args.AddRange(["--output", _dir.File("out.npy")]);
        args.AddRange(option);
        string line = OneUserErrorLine(CliRunner.Run([.. args]));
        Assert.Contains($"{option[0].TrimEnd('=')} needs a value; it was given an empty one", line);
    }

    [Fact]
    public void Output_path_in_a_missing_folder_is_refused_before_the_run()
    {
        string line = OneUserErrorLine(CliRunner.Run("run", _gru.Folder, "--input", _input, "--output", _dir.File("no/such/out.npy")));
        Assert.Contains("which does not exist; create it first", line);
    }

    [Fact]
    public void Forecast_horizon_600000_on_a_dated_series_is_one_line_exit_2()
    {
        string line = OneUserErrorLine(CliRunner.Run("forecast", Forecaster(), "--csv", Csv(100), "--horizon", "600000", "--holdout", "0"));
        Assert.Contains("[InvalidArgument]", line);
        Assert.Contains("go past the year 9999", line);
    }

    [Fact]
    public void Forecast_plot_naming_a_folder_is_refused_before_any_work()
    {
        Directory.CreateDirectory(_dir.File("plot.png"));
        var r = CliRunner.Run("forecast", Forecaster(), "--csv", Csv(100), "--horizon", "4", "--plot", _dir.File("plot.png"));
        Assert.Contains("is a folder; name a file to write", OneUserErrorLine(r));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Forecast_plot_in_a_missing_folder_is_refused_before_any_work()
    {
        // The package path does not even exist: the plot path is checked first, before the model is loaded (every path is
        // checked as the line is parsed: the options in the order given, then PKG).
        var r = CliRunner.Run("forecast", _dir.File("not-loaded"), "--csv", Csv(100), "--plot", _dir.File("missing/plot.png"));
        Assert.Contains("which does not exist; create it first", OneUserErrorLine(r));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Invalid_utf8_in_the_weights_header_is_one_line_exit_2()
    {
        using var pkg = GruAttentionSpec.Random(12, 2, 6, 1, 3, 2, 0, false).Write();
        var header = Encoding.UTF8.GetBytes("{\"a__\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}");
        header[2] = 0xFF;
        var bytes = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(pkg.File("weights.safetensors"), bytes);
        string line = OneUserErrorLine(CliRunner.Run("run", pkg.Folder, "--input", _input, "--output", _dir.File("out.npy")));
        Assert.Contains("[InvalidSafetensors]", line);
        Assert.Contains("not valid UTF-8", line);
    }

    [Fact]
    public void Csv_with_cr_only_line_ends_and_a_20000_column_header_is_one_short_line()
    {
        string wide = _dir.File("wide.csv");
        File.WriteAllText(wide, string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"col{i}")) + "\r" + string.Join(",", Enumerable.Repeat("1", 20_000)) + "\r");
        string line = OneUserErrorLine(CliRunner.Run("forecast", Forecaster(), "--csv", wide));
        Assert.Contains("no column 'date'. Columns: 0:col0, 1:col1", line);
        Assert.Contains("(19988 more)", line);
    }

    [Fact]
    public void Error_echoing_binary_garbage_is_one_line()
    {
        string garbage = _dir.File("garbage.csv");
        File.WriteAllBytes(garbage, [.. "date,co2\n19580329,\""u8, 0x01, 0x1b, (byte)'[', (byte)'2', (byte)'J', .. "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\""u8, .. "\n"u8]);
        string line = OneUserErrorLine(CliRunner.Run("forecast", Forecaster(), "--csv", garbage, "--holdout", "0", "--horizon", "1"));
        Assert.Contains("value '\\x01\\x1B[2J\\n\\n", line);
        Assert.DoesNotContain('\u001b', line);
    }

    [Fact]
    public void Unknown_option_of_control_characters_is_one_line()
    {
        var r = CliRunner.Run("run", "--\u001b[2J\nfoo\r\nbar");
        Assert.Contains("unknown option '--\\x1B[2J\\nfoo\\r\\nbar'", OneUserErrorLine(r));
    }
}
