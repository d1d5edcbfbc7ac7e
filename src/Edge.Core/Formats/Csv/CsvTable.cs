using System.Globalization;
using System.Text;

namespace Edge.Formats.Csv;

/// <summary>
/// A CSV file read whole: a header row of column names, then data rows of the same width (RFC 4180:
/// comma separated, fields may be double-quoted with <c>""</c> for a quote, CRLF, LF or CR alone). Blank lines are
/// skipped. Every problem is an <see cref="EdgeException"/> naming the file and the line.
/// </summary>
public sealed class CsvTable
{
    private static readonly string[] MissingTokens = ["", "NA", "NaN", "nan", "null", "NULL"];
    private readonly List<string[]> _rows;
    private readonly List<int> _lines;

    private CsvTable(string name, string[] header, List<string[]> rows, List<int> lines)
    {
        Name = name;
        Header = header;
        _rows = rows;
        _lines = lines;
    }

    /// <summary>The file's name, for messages.</summary>
    public string Name { get; }

    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Data rows (the header not counted).</summary>
    public int RowCount => _rows.Count;

    /// <summary>Largest file <see cref="Read"/> accepts (1 GiB).</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Reads a CSV file.</summary>
    public static CsvTable Read(string path)
    {
        Fail.If(string.IsNullOrEmpty(path), EdgeErrorCode.InvalidArgument, "the CSV file's path is empty; name a file.");
        var info = new FileInfo(path);
        Fail.If(!info.Exists, EdgeErrorCode.FileNotFound, $"{path}: no such CSV file.");
        Fail.If(info.Length > MaxBytes, EdgeErrorCode.InvalidInput, $"{path}: {info.Length} bytes is over the {MaxBytes}-byte limit for CSV input.");
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Parse(reader, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot read ({e.Message}). Check the path.");
        }
    }

    /// <summary>Parses CSV text; <paramref name="name"/> is used in messages.</summary>
    public static CsvTable Parse(TextReader reader, string name)
    {
        string[]? header = null;
        var rows = new List<string[]>();
        var lines = new List<int>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        bool quoted = false, wasQuoted = false, any = false;

        void EndField()
        {
            fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
            field.Clear();
            wasQuoted = false;
        }

        void EndRecord()
        {
            EndField();
            bool blank = fields.Count == 1 && fields[0].Length == 0 && !any;
            if (!blank)
            {
                var record = fields.ToArray();
                if (header is null)
                {
                    header = record;
                    for (int i = 0; i < header.Length; i++)
                        Fail.If(header[i].Length == 0, EdgeErrorCode.InvalidInput, $"{name}:{recordLine}: column {i + 1} of the header has no name. The first row must name every column.");
                }
                else
                {
                    Fail.If(record.Length != header.Length, EdgeErrorCode.InvalidInput,
                        $"{name}:{recordLine}: {record.Length} fields, but the header has {header.Length} ({MessageText.List(header)}).");
                    rows.Add(record);
                    lines.Add(recordLine);
                }
            }
            fields.Clear();
            any = false;
        }

        int c;
        while ((c = reader.Read()) >= 0)
        {
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"':
                    Fail.If(field.ToString().Trim().Length > 0, EdgeErrorCode.InvalidInput, $"{name}:{line}: a quote inside an unquoted field; quote the whole field and double the quote (\"\").");
                    field.Clear();
                    quoted = wasQuoted = any = true;
                    break;
                case ',':
                    EndField();
                    any = true;
                    break;
                case '\r':
                    // CRLF ends the record at its LF; a CR alone (old Mac line ends) ends it here.
                    if (reader.Peek() == '\n') break;
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    if (!char.IsWhiteSpace(ch)) any = true;
                    break;
            }
        }
        Fail.If(quoted, EdgeErrorCode.InvalidInput, $"{name}:{recordLine}: a quoted field is never closed.");
        EndRecord();
        Fail.If(header is null, EdgeErrorCode.InvalidInput, $"{name}: the file is empty; a CSV needs a header row naming its columns.");
        return new CsvTable(name, header!, rows, lines);
    }

    /// <summary>The line in the file where data row <paramref name="row"/> starts (1-based, header on line 1 or later).</summary>
    public int LineOf(int row) => _lines[row];

    /// <summary>The raw text of a cell.</summary>
    public string Cell(int row, int column) => _rows[row][column];

    /// <summary>
    /// Finds a column by name (exact, then ignoring case) or by 0-based index; a missing one is an error
    /// listing the columns there are.
    /// </summary>
    public int Column(string nameOrIndex)
    {
        for (int i = 0; i < Header.Count; i++)
            if (Header[i] == nameOrIndex) return i;
        var matches = Enumerable.Range(0, Header.Count).Where(i => string.Equals(Header[i], nameOrIndex, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 1) return matches[0];
        if (int.TryParse(nameOrIndex, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < Header.Count) return index;
        return Fail.With<int>(EdgeErrorCode.InvalidInput,
            $"{Name}: no column '{MessageText.Value(nameOrIndex)}'. Columns: {MessageText.List(Header.Select((h, i) => $"{i}:{h}"))}; give a name or a 0-based index.");
    }

    /// <summary>Reads a column as numbers (invariant culture: '.' decimal point); non-numbers are errors naming the line.</summary>
    public CsvNumbers Numbers(int column, CsvMissingValues missing)
    {
        var values = new double[RowCount];
        var filled = new List<int>();
        for (int r = 0; r < RowCount; r++)
        {
            string s = _rows[r][column];
            if (MissingTokens.Contains(s))
            {
                Fail.If(missing == CsvMissingValues.Error, EdgeErrorCode.InvalidInput,
                    $"{Name}:{LineOf(r)}: column '{MessageText.Value(Header[column])}' has no value{(s.Length > 0 ? $" ('{s}')" : "")}. Fill it in, or read the table with CsvMissingValues.Interpolate.");
                filled.Add(r);
                values[r] = double.NaN;
                continue;
            }
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out values[r]) || !double.IsFinite(values[r]))
                Fail.With(EdgeErrorCode.InvalidInput, $"{Name}:{LineOf(r)}: column '{MessageText.Value(Header[column])}' value '{Shorten(s)}' is not a number. Use '.' as the decimal point and no thousands separators.");
        }
        Fail.If(RowCount > 0 && filled.Count == RowCount, EdgeErrorCode.InvalidInput, $"{Name}: column '{MessageText.Value(Header[column])}' has no values at all.");
        if (filled.Count > 0) Interpolate(values);
        return new CsvNumbers(values, filled);
    }

    /// <summary>Reads a column as timestamps, in <paramref name="format"/> (a .NET custom format such as "yyyyMMdd") or ISO 8601 when null.</summary>
    public DateTime[] Times(int column, string? format)
    {
        var times = new DateTime[RowCount];
        for (int r = 0; r < RowCount; r++)
        {
            string s = _rows[r][column];
            bool ok = format is null
                ? DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out times[r])
                : DateTime.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out times[r]);
            Fail.If(!ok, EdgeErrorCode.InvalidInput,
                $"{Name}:{LineOf(r)}: column '{MessageText.Value(Header[column])}' value '{Shorten(s)}' is not a time{(format is null ? " in ISO 8601 (2000-06-05T00:30:00)" : $" in the format '{format}'")}.");
        }
        return times;
    }

    // Linear between known neighbours by row; the ends hold the nearest known value.
    private static void Interpolate(double[] v)
    {
        int prev = -1;
        for (int i = 0; i <= v.Length; i++)
        {
            if (i < v.Length && double.IsNaN(v[i])) continue;
            for (int k = prev + 1; k < i; k++)
            {
                v[k] = prev < 0 ? v[i]
                    : i == v.Length ? v[prev]
                    : (v[i] - v[prev]) / (i - prev) * (k - prev) + v[prev];   // np.interp's order of operations
            }
            prev = i;
        }
    }

    private static string Shorten(string s) => MessageText.Value(s, 40);
}
