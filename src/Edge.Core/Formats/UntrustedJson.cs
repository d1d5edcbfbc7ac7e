using System.Text.Json;
using System.Text.Unicode;

namespace Edge.Formats;

/// <summary>
/// Parses JSON from a file after checking it all: syntax, and every string and key as valid UTF-8 with
/// valid escapes. System.Text.Json checks string contents only when a string is read, so without this a
/// corrupt byte in a name would surface later as an InvalidOperationException far from the file.
/// </summary>
public static class UntrustedJson
{
    /// <summary>Parses <paramref name="utf8"/>; any problem is an <see cref="EdgeException"/> with <paramref name="code"/> naming <paramref name="where"/>.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options, EdgeErrorCode code, string where)
    {
        try
        {
            Validate(utf8.Span, options, code, where);
            return JsonDocument.Parse(utf8, options);
        }
        catch (JsonException e)
        {
            throw new EdgeException(code, $"{where}: not valid JSON ({MessageText.Value(e.Message, 200)}).");
        }
    }

    private static void Validate(ReadOnlySpan<byte> utf8, JsonDocumentOptions options, EdgeErrorCode code, string where)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.CommentHandling,
            MaxDepth = options.MaxDepth,
        });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
            bool valid;
            if (!reader.ValueIsEscaped)
            {
                valid = Utf8.IsValid(reader.ValueSpan);
            }
            else
            {
                // Escapes can spell a lone surrogate (\ud800); only decoding the string tells.
                try
                {
                    reader.GetString();
                    valid = true;
                }
                catch (InvalidOperationException)
                {
                    valid = false;
                }
            }
            Fail.If(!valid, code,
                $"{where}: the {(reader.TokenType == JsonTokenType.PropertyName ? "key" : "string")} at byte {reader.TokenStartIndex} is not valid UTF-8 text (a corrupt byte or a lone \\u surrogate escape). The file is corrupt or was saved in another encoding; save it as UTF-8.");
        }
    }
}
