using System.Text;
using Edge.Formats.Csv;

namespace Edge.Fuzz.Targets;

/// <summary>A CSV table (the series <c>edge forecast</c> and <c>edge run --input</c> read).</summary>
public sealed class CsvTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "csv";

    /// <inheritdoc />
    public override string Parses => "CsvTable.Parse";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("dated", Encoding.UTF8.GetBytes("date,value\n2024-01-01,1.5\n2024-01-02,2.25\n2024-01-03,\n"));
        yield return new("plain", Encoding.UTF8.GetBytes("a,b,c\r\n1,2,3\r\n4,5,6\r\n"));
        yield return new("quoted", Encoding.UTF8.GetBytes("\"x\",\"y\"\n1e3,NaN\n-2,0.5\n"));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        using var reader = new StreamReader(new MemoryStream(input, writable: false), Encoding.UTF8);
        CsvTable.Parse(reader, "fuzz.csv");
    }
}
