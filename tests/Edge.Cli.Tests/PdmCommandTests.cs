using System.Text.Json;

namespace Edge.Cli.Tests;

/// <summary><c>edge pdm</c> on the committed held-out aging runs, and on broken copies of them.</summary>
public sealed class PdmCommandTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Unit(int id) => Path.Combine(RepoPaths.Root, "models", "laser-aging", "data", "test", $"unit_{id:000}.csv");

    private static readonly string Models = Path.Combine(RepoPaths.Root, "models");

    private string Edited(int unit, Func<string[], string[]> edit)
    {
        string path = _tmp.File($"unit_{unit}_edited.csv");
        File.WriteAllLines(path, edit(File.ReadAllLines(Unit(unit))));
        return path;
    }

    private static List<JsonElement> JsonLines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public void Unit_58_prints_its_first_alert_with_score_and_RUL_and_the_end_of_life()
    {
        var r = CliRunner.Run("pdm", "--csv", Unit(58));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n');
        // The detector README's first flag for unit 58: 2 h before the 1316.1 h anomaly label; the RUL model starts there.
        string first = Assert.Single(lines, l => l.Contains("ANOMALY", StringComparison.Ordinal));
        Assert.Matches(@"^\s+1314\.0 h  ANOMALY  score +0\.40\d > 0\.399  RUL +3\d\d h$", first);
        Assert.Equal(128, lines.Count(l => l.Contains(" h  alert ", StringComparison.Ordinal) || l.Contains(" h  ANOMALY ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("   1538.0 h  END OF LIFE", StringComparison.Ordinal));   // true end of life 1521.1 h
        Assert.Contains("anomaly      first alert at 1314.0 h, RUL estimate there 3", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_lines_give_each_alert_and_a_summary_that_agree_with_the_text()
    {
        var r = CliRunner.Run("pdm", "--csv", Unit(60), "--json", "--models", Models);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var events = JsonLines(r.Stdout);
        var alerts = events.Where(e => e.GetProperty("event").GetString() == "alert").ToList();
        var summary = events[^1];
        Assert.Equal("summary", summary.GetProperty("event").GetString());
        Assert.Equal(alerts.Count, summary.GetProperty("alerts").GetInt32());
        Assert.Equal(420, summary.GetProperty("readings").GetInt32());
        var first = Assert.Single(alerts, a => a.GetProperty("first").GetBoolean());
        Assert.Equal(514, first.GetProperty("time_h").GetDouble());   // 12.8 h after the 501.2 h label, as the detector README says (+13)
        Assert.Equal(514 / 2 + 2, first.GetProperty("line").GetInt32());   // header, then one row per 2 h from 0 h
        Assert.True(first.GetProperty("score").GetDouble() > first.GetProperty("threshold").GetDouble());
        Assert.Equal(first.GetProperty("rul_h").GetDouble(), summary.GetProperty("rul_at_first_alert_h").GetDouble(), 3);
        Assert.All(alerts.Where(a => !a.GetProperty("first").GetBoolean()), a => Assert.True(a.GetProperty("time_h").GetDouble() > 514));
        Assert.Single(events, e => e.GetProperty("event").GetString() == "end_of_life");
    }

    [Fact]
    public void Two_halves_through_state_files_print_the_alerts_of_one_whole_run()
    {
        var whole = JsonLines(CliRunner.Run("pdm", "--csv", Unit(59), "--json").Stdout);
        var lines = File.ReadAllLines(Unit(59));
        string a = _tmp.File("a.csv"), b = _tmp.File("b.csv"), state = _tmp.File("run.pdmstate");
        File.WriteAllLines(a, lines[..320]);                 // to 638 h: after the first alert at 558 h
        File.WriteAllLines(b, [lines[0], .. lines[320..]]);
        var r1 = CliRunner.Run("pdm", "--csv", a, "--json", "--state-out", state);
        var r2 = CliRunner.Run("pdm", "--csv", b, "--json", "--state-in", state);
        Assert.True(r1.ExitCode == 0 && r2.ExitCode == 0, r1.Stderr + r2.Stderr);
        static IEnumerable<string> Alerts(IEnumerable<JsonElement> events) => events
            .Where(e => e.GetProperty("event").GetString() is "alert" or "end_of_life")
            .Select(e => $"{e.GetProperty("time_h")} {(e.TryGetProperty("score", out var s) ? s.GetRawText() : "")} {(e.TryGetProperty("rul_h", out var u) ? u.GetRawText() : "")}");
        Assert.Equal(Alerts(whole), Alerts(JsonLines(r1.Stdout)).Concat(Alerts(JsonLines(r2.Stdout))));
        Assert.Equal(158, Alerts(whole).Count() - 1);
    }

    [Fact]
    public void A_non_numeric_cell_and_a_NaN_are_rejected_readings_naming_their_lines_and_the_run_goes_on()
    {
        string csv = Edited(57, l =>
        {
            l[100] = l[100].Replace(l[100].Split(',')[2], "4x.1", StringComparison.Ordinal);
            l[200] = string.Join(',', l[200].Split(',').Select((c, i) => i == 4 ? "NaN" : c));
            return l;
        });
        var r = CliRunner.Run("pdm", "--csv", csv);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rejected = r.Stdout.Split('\n').Where(l => l.Contains("rejected", StringComparison.Ordinal) && !l.StartsWith("readings", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rejected.Count);
        Assert.EndsWith("rejected  unit_57_edited.csv line 101, column 'bias_ma': '4x.1' is not a number", rejected[0], StringComparison.Ordinal);
        Assert.EndsWith("rejected  unit_57_edited.csv line 201, column 'case_temp_c': 'NaN' is not a finite number", rejected[1], StringComparison.Ordinal);
        Assert.Contains("readings     488 in this file, 486 accepted in the run, 2 rejected", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-column", "line 1: no channel column 'monitor_ua'")]
    [InlineData("time-backwards", "line 301: time '590.0' is earlier than line 300's '596.0'")]
    [InlineData("short-row", "line 51: 5 cells where the header has 6")]
    public void A_broken_file_is_one_error_line_naming_the_line_and_exit_2(string how, string says)
    {
        string csv = Edited(57, l => how switch
        {
            "missing-column" => [.. l.Select(x => string.Join(',', x.Split(',').Where((_, i) => i != 3)))],
            "time-backwards" => [.. l[..300], l[300].Replace(",598.0,", ",590.0,", StringComparison.Ordinal), .. l[301..]],
            _ => [.. l[..50], string.Join(',', l[50].Split(',')[..5]), .. l[51..]],
        });
        var r = CliRunner.Run("pdm", "--csv", csv);
        Assert.Equal(2, r.ExitCode);
        string error = Assert.Single(r.ErrorLines);
        Assert.StartsWith("edge: error [InvalidInput]: unit_57_edited.csv ", error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_writes_a_png_and_missing_output_folders_are_refused_before_any_work()
    {
        string png = _tmp.File("run.png");
        var r = CliRunner.Run("pdm", "--csv", Unit(60), "--plot", png);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 20_000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);

        string nowhere = Path.Combine(_tmp.Path, "no-such-folder");
        foreach (var option in new[] { "--plot", "--state-out" })
        {
            var bad = CliRunner.Run("pdm", "--csv", Unit(60), option, Path.Combine(nowhere, option == "--plot" ? "x.png" : "x.state"));
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("which does not exist; create it first", Assert.Single(bad.ErrorLines), StringComparison.Ordinal);
            Assert.Equal("", bad.Stdout);
        }
        var notPng = CliRunner.Run("pdm", "--csv", Unit(60), "--plot", _tmp.File("x.jpg"));
        Assert.Equal(2, notPng.ExitCode);
    }

    [Fact]
    public void A_corrupt_state_file_is_one_error_line_and_exit_2()
    {
        string state = _tmp.File("s.pdmstate");
        Assert.Equal(0, CliRunner.Run("pdm", "--csv", Unit(60), "--state-out", state).ExitCode);
        var bytes = File.ReadAllBytes(state);
        bytes[^9] ^= 0x40;
        File.WriteAllBytes(state, bytes);
        var r = CliRunner.Run("pdm", "--csv", Unit(60), "--state-in", state);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"edge: error [InvalidState]: {state}: checksum does not match its contents. The file is corrupt; use another copy or start the run again.", Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void Json_lines_print_exactly_the_keys_docs_cli_md_lists()
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "cli.md"));
        var documented = Edge.Cli.Tests.Docs.MarkdownText.JsonKeys(Edge.Cli.Tests.Docs.MarkdownText.Section(doc, "edge pdm"));
        // A rejected reading too, so every event kind is printed.
        string csv = Edited(60, l =>
        {
            l[30] = l[30].Replace(l[30].Split(',')[3], "", StringComparison.Ordinal);
            return l;
        });
        var events = JsonLines(CliRunner.Run("pdm", "--csv", csv, "--json").Stdout);
        Assert.Equal(["alert", "end_of_life", "rejected", "summary"], events.Select(e => e.GetProperty("event").GetString()).Distinct().Order());
        var printed = events.SelectMany(e => e.EnumerateObject().Select(p => p.Name)).ToHashSet();
        Assert.Equal(documented.Order(), printed.Order());
    }
}
