using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Cli.Commands;

/// <summary>
/// Writes a double with at most six significant digits (<c>1.273</c>, not <c>1.2730000000000001</c>):
/// no figure Edge measures is meaningful beyond that, and the noise only confuses scripts that compare runs.
/// Non-finite values, which JSON cannot hold, are written as null.
/// </summary>
internal sealed class SignificantDigitsConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (!double.IsFinite(value))
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteNumberValue(double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }
}
