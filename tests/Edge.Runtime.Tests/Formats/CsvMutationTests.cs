using Edge.Formats.Csv;

namespace Edge.Runtime.Tests.Formats;

/// <summary>CSV inputs from a mutation run of the CLI whose errors echoed 200,000 characters or binary garbage.</summary>
public class CsvMutationTests
{
    private static CsvTable Parse(string text) => CsvTable.Parse(new StringReader(text), "data.csv");

    private static void OneShortLine(EdgeException e, int max = 1200)
    {
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        Assert.True(e.Message.Length < max, $"{e.Message.Length} characters");
    }

    [Fact]
    public void Csv_with_cr_only_line_ends_reads_one_row_per_line()
    {
        var t = Parse("time,value\r" + string.Join("\r", Enumerable.Range(0, 20_000).Select(i => $"{i},{i * 0.5}")) + "\r");
        Assert.Equal(["time", "value"], t.Header);
        Assert.Equal(20_000, t.RowCount);
        Assert.Equal(3, t.LineOf(1));
        Assert.Equal(9999.5, t.Numbers(1, CsvMissingValues.Error).Values[^1]);
    }

    [Fact]
    public void Csv_with_crlf_line_ends_still_counts_each_line_once()
    {
        var t = Parse("a,b\r\n1,2\r\n3,4\r\n");
        Assert.Equal(2, t.RowCount);
        Assert.Equal(3, t.LineOf(1));
    }

    [Fact]
    public void Csv_with_a_20000_column_header_names_a_missing_column_in_one_short_line()
    {
        var t = Parse(string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"col{i}")) + "\n" + string.Join(",", Enumerable.Repeat("1", 20_000)) + "\n");
        var e = Assert.Throws<EdgeException>(() => t.Column("date"));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains("0:col0, 1:col1", e.Message);
        Assert.Contains($"… ({20_000 - MessageText.ListItems} more)", e.Message);
        OneShortLine(e);
    }

    [Fact]
    public void Csv_row_of_the_wrong_width_under_a_20000_column_header_is_one_short_line()
    {
        var e = Assert.Throws<EdgeException>(() => Parse(string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"c{i}")) + "\n1,2\n"));
        Assert.Contains("data.csv:2: 2 fields, but the header has 20000", e.Message);
        OneShortLine(e);
    }

    [Fact]
    public void Csv_value_of_binary_garbage_is_echoed_escaped_on_one_line()
    {
        var t = Parse("a,b\n1,\"\u0001\u0002\u001b[31m\n\n\nred\"\n");
        var e = Assert.Throws<EdgeException>(() => t.Numbers(1, CsvMissingValues.Error));
        Assert.Contains("value '\\x01\\x02\\x1B[31m\\n\\n\\nred' is not a number", e.Message);
        OneShortLine(e);
    }

    [Fact]
    public void Csv_column_name_of_binary_garbage_is_echoed_escaped_and_cut()
    {
        var t = Parse("a,\"\u0000\u0007" + new string('q', 100_000) + "\"\n1,x\n");
        var e = Assert.Throws<EdgeException>(() => t.Numbers(1, CsvMissingValues.Error));
        Assert.Contains("column '\\x00\\x07qqq", e.Message);
        OneShortLine(e);
    }
}
