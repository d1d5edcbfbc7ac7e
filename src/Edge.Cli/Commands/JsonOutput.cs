using System.Text.Json;

namespace Edge.Cli.Commands;

/// <summary>The one JSON style of <c>--json</c> outputs: snake_case keys, indented, stable, numbers to six significant digits.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new SignificantDigitsConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
