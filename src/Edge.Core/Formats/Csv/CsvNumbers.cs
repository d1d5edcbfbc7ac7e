namespace Edge.Formats.Csv;

/// <summary>A CSV column read as numbers.</summary>
/// <param name="Values">One value per data row.</param>
/// <param name="Filled">Rows whose cell was missing and was interpolated.</param>
public sealed record CsvNumbers(double[] Values, IReadOnlyList<int> Filled);
