namespace Edge.Formats.Csv;

/// <summary>What <see cref="CsvTable.Numbers"/> does with an empty cell (or NA, NaN, null).</summary>
public enum CsvMissingValues
{
    /// <summary>Refuse the file, naming the first missing cell's line.</summary>
    Error,

    /// <summary>
    /// Fill each gap linearly between the nearest values before and after it, by row; gaps at the start or
    /// the end take the nearest value (NumPy's <c>np.interp</c> over the row index does the same).
    /// </summary>
    Interpolate,
}
