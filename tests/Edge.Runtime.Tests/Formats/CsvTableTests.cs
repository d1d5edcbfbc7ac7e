using Edge.Formats.Csv;

namespace Edge.Runtime.Tests.Formats;

public class CsvTableTests
{
    private static CsvTable Parse(string text) => CsvTable.Parse(new StringReader(text), "data.csv");

    [Fact]
    public void Reads_header_rows_quotes_crlf_and_skips_blank_lines()
    {
        var t = Parse("date,\"value, MW\",note\r\n20000605,1.5,\"said \"\"hi\"\"\"\r\n\r\n20000606, 2 ,\"two\nlines\"\n");
        Assert.Equal(["date", "value, MW", "note"], t.Header);
        Assert.Equal(2, t.RowCount);
        Assert.Equal("said \"hi\"", t.Cell(0, 2));
        Assert.Equal("two\nlines", t.Cell(1, 2));
        Assert.Equal(2, t.LineOf(0));
        Assert.Equal(4, t.LineOf(1));
        Assert.Equal([1.5, 2.0], t.Numbers(1, CsvMissingValues.Error).Values);
    }

    [Fact]
    public void Columns_are_found_by_name_ignoring_case_or_by_index_and_a_missing_one_lists_them()
    {
        var t = Parse("date,co2\n1,2\n");
        Assert.Equal(1, t.Column("co2"));
        Assert.Equal(1, t.Column("CO2"));
        Assert.Equal(0, t.Column("0"));
        var e = Assert.Throws<EdgeException>(() => t.Column("temp"));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Equal("data.csv: no column 'temp'. Columns: 0:date, 1:co2; give a name or a 0-based index.", e.Message);
    }

    [Fact]
    public void A_non_number_is_an_error_naming_the_line_and_the_value()
    {
        var t = Parse("co2\n1\n\n2\n\"3,5\"\n");
        var e = Assert.Throws<EdgeException>(() => t.Numbers(0, CsvMissingValues.Error));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.StartsWith("data.csv:5: column 'co2' value '3,5' is not a number", e.Message);
    }

    [Fact]
    public void Rows_of_the_wrong_width_are_errors_naming_the_line()
    {
        var e = Assert.Throws<EdgeException>(() => Parse("a,b\n1,2\n3\n"));
        Assert.StartsWith("data.csv:3: 1 fields, but the header has 2", e.Message);
    }

    [Fact]
    public void Missing_values_are_an_error_or_interpolated_like_np_interp()
    {
        // A blank line is skipped (as NumPy's loadtxt/genfromtxt do); an empty field is a missing value.
        var t = Parse("t,v\n0,\n1,1\n\n2,NA\n3,\n4,4\n5,5\n");
        Assert.Equal(6, t.RowCount);
        var e = Assert.Throws<EdgeException>(() => t.Numbers(1, CsvMissingValues.Error));
        Assert.StartsWith("data.csv:2: column 'v' has no value.", e.Message);
        var n = t.Numbers(1, CsvMissingValues.Interpolate);
        Assert.Equal([1, 1, 2, 3, 4, 5], n.Values);   // the start holds the nearest value, gaps are linear
        Assert.Equal([0, 2, 3], n.Filled);
        var na = Parse("v\n1\nNA\n3\n");
        Assert.StartsWith("data.csv:3: column 'v' has no value ('NA')", Assert.Throws<EdgeException>(() => na.Numbers(0, CsvMissingValues.Error)).Message);
    }

    [Fact]
    public void Times_parse_with_a_format_or_as_iso_8601_and_bad_ones_name_the_line()
    {
        var t = Parse("date,iso\n19580329,2000-06-05T00:30:00\n19580405,2000-06-05T01:00:00\n");
        Assert.Equal(new DateTime(1958, 4, 5), t.Times(0, "yyyyMMdd")[1]);
        Assert.Equal(new DateTime(2000, 6, 5, 1, 0, 0), t.Times(1, null)[1]);
        var e = Assert.Throws<EdgeException>(() => t.Times(1, "yyyyMMdd"));
        Assert.StartsWith("data.csv:2: column 'iso' value '2000-06-05T00:30:00' is not a time in the format 'yyyyMMdd'", e.Message);
    }

    [Fact]
    public void Empty_file_and_unclosed_quote_are_errors()
    {
        Assert.Contains("the file is empty", Assert.Throws<EdgeException>(() => Parse("")).Message);
        Assert.StartsWith("data.csv:2: a quoted field is never closed", Assert.Throws<EdgeException>(() => Parse("a\n\"open\n")).Message);
    }
}
