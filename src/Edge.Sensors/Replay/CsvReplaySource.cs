using System.Diagnostics;
using System.Globalization;

namespace Edge.Sensors.Replay;

/// <summary>
/// Replays a CSV recording as a sensor source: a time column and channels chosen by header name, at the recorded
/// rate, accelerated, or as fast as possible. A bad value (empty, non-numeric, NaN) is an InvalidData sample with
/// <see cref="LastProblem"/> naming the file, line and column; a broken file (a missing column, a row with too few
/// cells, a time that goes backwards) stops the replay with an <see cref="EdgeException"/> naming the line.
/// The sample timestamps are the file's times.
/// </summary>
public sealed class CsvReplaySource : ISensorSource
{
    private readonly TextReader _reader;
    private readonly string _name;
    private readonly CsvReplayOptions _options;
    private readonly SensorChannel[] _channels;
    private readonly string[] _header;
    private readonly int _timeIndex;
    private readonly int[] _columnOfChannel;
    private readonly double[] _values;
    private readonly SensorStatus[] _statuses;
    private readonly Range[] _cells;
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private readonly Stopwatch _clock = new();
    private int _line;
    private int _next;
    private bool _ended;
    private bool _disposed;
    private bool? _timeIsSeconds;
    private DateTimeOffset _rowTime;
    private DateTimeOffset _firstTime;
    private int _previousTimeLine;
    private string _previousTimeCell = "";

    /// <summary>Replays <paramref name="reader"/> (named <paramref name="name"/> in errors), which the source owns; reads the header at once.</summary>
    public CsvReplaySource(TextReader reader, string name, CsvReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _name = name;
        _options = options ?? new CsvReplayOptions();
        if (_options.Pace == ReplayPace.Accelerated && !(_options.Acceleration > 0 && double.IsFinite(_options.Acceleration)))
        {
            Fail.With(EdgeErrorCode.InvalidArgument, $"CsvReplayOptions.Acceleration is {_options.Acceleration}; set a positive factor (60 replays a minute per second).");
        }
        if (_options.TimeUnit <= TimeSpan.Zero)
        {
            Fail.With(EdgeErrorCode.InvalidArgument, $"CsvReplayOptions.TimeUnit is {_options.TimeUnit}; set a positive span (TimeSpan.FromHours(1) for a column of hours).");
        }

        string? headerLine = ReadLine();
        if (headerLine is null) Fail.With(EdgeErrorCode.InvalidInput, $"{name}: the file is empty; a replay needs a header line naming the time column and the channels.");
        _header = SplitHeader(headerLine);
        _cells = new Range[_header.Length + 1];
        _timeIndex = Array.IndexOf(_header, _options.TimeColumn);
        if (_timeIndex < 0)
        {
            Fail.With(EdgeErrorCode.InvalidInput,
                $"{name} line {_line}: no column '{_options.TimeColumn}' in the header ({string.Join(", ", _header)}); set CsvReplayOptions.TimeColumn to the column that holds the time.");
        }
        IReadOnlyList<string> names = _options.Channels ?? _header.Where((_, i) => i != _timeIndex).ToArray();
        if (names.Count == 0) Fail.With(EdgeErrorCode.InvalidInput, $"{name} line {_line}: the header has only the time column; there is nothing to replay.");
        _columnOfChannel = new int[names.Count];
        _channels = new SensorChannel[names.Count];
        for (int c = 0; c < names.Count; c++)
        {
            int column = Array.IndexOf(_header, names[c]);
            if (column < 0 || column == _timeIndex)
            {
                Fail.With(EdgeErrorCode.InvalidInput,
                    $"{name} line {_line}: no channel column '{names[c]}' in the header ({string.Join(", ", _header)}); fix CsvReplayOptions.Channels or the file's header.");
            }
            _columnOfChannel[c] = column;
            _channels[c] = new SensorChannel(names[c], "");
        }
        _values = new double[names.Count];
        _statuses = new SensorStatus[names.Count];
    }

    /// <summary>Opens the CSV file at <paramref name="path"/> for replay.</summary>
    public static CsvReplaySource Open(string path, CsvReplayOptions? options = null)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot open the CSV to replay ({e.Message}); check the path.", e);
        }
        try
        {
            return new CsvReplaySource(reader, Path.GetFileName(path), options);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SensorChannel> Channels => _channels;

    /// <summary>The file's line number of the row the last sample came from (1 is the header).</summary>
    public int Line => _line;

    /// <summary>Values that were not numbers (empty, non-numeric, NaN or infinite) so far.</summary>
    public long BadValues { get; private set; }

    /// <summary>The last bad value, as "file line N, column 'c': why", for logs; null while every value has been good.</summary>
    public string? LastProblem { get; private set; }

    /// <inheritdoc />
    public bool TryRead(out SensorSample sample)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_next == 0 && !_ended) ReadRow();
        if (_ended)
        {
            sample = new SensorSample(_rowTime, _next, 0, SensorStatus.EndOfData);
            _next = _next + 1 == _channels.Length ? 0 : _next + 1;
            return false;
        }
        int channel = _next;
        _next = channel + 1 == _channels.Length ? 0 : channel + 1;
        sample = new SensorSample(_rowTime, channel, _values[channel], _statuses[channel]);
        return sample.IsOk;
    }

    private void ReadRow()
    {
        string? line;
        do
        {
            line = ReadLine();
        } while (line is not null && line.AsSpan().IsWhiteSpace());
        if (line is null)
        {
            _ended = true;
            return;
        }

        ReadOnlySpan<char> text = line;
        int count = text.Split(_cells, _options.Delimiter);
        if (count != _header.Length)
        {
            Fail.With(EdgeErrorCode.InvalidInput,
                $"{_name} line {_line}: {(count > _header.Length ? "more than" : count.ToString(CultureInfo.InvariantCulture))} cells where the header has {_header.Length}; every row needs a cell (empty if unknown) for every column.");
        }
        _rowTime = ParseTime(Cell(text, _timeIndex));
        for (int c = 0; c < _channels.Length; c++)
        {
            ReadOnlySpan<char> cell = Cell(text, _columnOfChannel[c]);
            if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            {
                _values[c] = value;
                _statuses[c] = SensorStatus.Ok;
                continue;
            }
            _values[c] = 0;
            _statuses[c] = SensorStatus.InvalidData;
            BadValues++;
            string why = cell.IsEmpty ? "the cell is empty" : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? $"'{cell}' is not a finite number" : $"'{cell}' is not a number";
            LastProblem = $"{_name} line {_line}, column '{_channels[c].Name}': {why}";
        }
        WaitForRowTime();
    }

    private DateTimeOffset ParseTime(ReadOnlySpan<char> cell)
    {
        bool isSeconds = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds);
        DateTimeOffset time = default;
        if (isSeconds && !double.IsFinite(seconds))
        {
            Fail.With(EdgeErrorCode.InvalidInput, $"{_name} line {_line}: time '{cell}' is not a finite number; every row needs a time in seconds or ISO-8601.");
        }
        if (!isSeconds && !DateTimeOffset.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out time))
        {
            Fail.With(EdgeErrorCode.InvalidInput,
                $"{_name} line {_line}: time '{cell}' in column '{_options.TimeColumn}' is neither seconds nor an ISO-8601 time (2026-01-31T12:00:00Z); fix the cell.");
        }
        _timeIsSeconds ??= isSeconds;
        if (_timeIsSeconds != isSeconds)
        {
            Fail.With(EdgeErrorCode.InvalidInput,
                $"{_name} line {_line}: time '{cell}' is {(isSeconds ? "in seconds" : "an ISO-8601 time")} but line {_previousTimeLine} was {(isSeconds ? "an ISO-8601 time" : "in seconds")}; use one form in the whole column.");
        }
        if (isSeconds)
        {
            try
            {
                time = _options.TimeOrigin + (_options.TimeUnit == OneSecond ? TimeSpan.FromSeconds(seconds) : seconds * _options.TimeUnit);
            }
            catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
            {
                Fail.With(EdgeErrorCode.InvalidInput, $"{_name} line {_line}: time '{cell}' is beyond the years 1 to 9999 from CsvReplayOptions.TimeOrigin; fix the cell or the TimeUnit.");
            }
        }

        if (_previousTimeLine == 0)
        {
            _firstTime = time;
            _clock.Start();
        }
        else if (time < _rowTime)
        {
            Fail.With(EdgeErrorCode.InvalidInput,
                $"{_name} line {_line}: time '{cell}' is earlier than line {_previousTimeLine}'s '{_previousTimeCell}'; sort the rows by '{_options.TimeColumn}' (a replay cannot go back in time).");
        }
        _previousTimeLine = _line;
        // Kept as written in the file, for the message if the next row goes back in time.
        _previousTimeCell = cell.ToString();
        return time;
    }

    private void WaitForRowTime()
    {
        if (_options.Pace == ReplayPace.AsFastAsPossible) return;
        double factor = _options.Pace == ReplayPace.Accelerated ? _options.Acceleration : 1;
        TimeSpan due = (_rowTime - _firstTime) / factor;
        // Never early: sleep whole milliseconds until the row's time has passed.
        while (_clock.Elapsed < due)
        {
            Thread.Sleep(Math.Max(1, (int)Math.Ceiling((due - _clock.Elapsed).TotalMilliseconds)));
        }
    }

    private ReadOnlySpan<char> Cell(ReadOnlySpan<char> line, int index) => Unquote(line[_cells[index]]);

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell)
    {
        cell = cell.Trim();
        if (cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"') cell = cell[1..^1].Trim();
        return cell;
    }

    private string[] SplitHeader(string line)
    {
        var names = line.Split(_options.Delimiter).Select(n => Unquote(n).ToString()).ToArray();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            Fail.With(EdgeErrorCode.InvalidInput, $"{_name} line {_line}: the header names column '{duplicate.Key}' twice; give each column its own name.");
        }
        return names;
    }

    private string? ReadLine()
    {
        string? line = _reader.ReadLine();
        if (line is not null) _line++;
        return line;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _reader.Dispose();
    }
}
