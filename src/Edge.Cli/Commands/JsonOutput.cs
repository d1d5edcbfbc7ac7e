using System.Text.Json;

namespace Edge.Cli.Commands;

/// <summary>The one JSON style of <c>--json</c> outputs: snake_case keys, indented, stable.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
