using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Edge.Sensors.Mqtt;

/// <summary>
/// Parses a sensor's MQTT payload, which is untrusted: a plain number (<c>23.5</c>) or a JSON object with a numeric
/// <c>value</c> and an optional <c>time</c> (ISO-8601 string or Unix seconds). Anything else, and any non-finite
/// number, is rejected with the reason.
/// </summary>
public static class MqttPayload
{
    // Unix seconds a DateTimeOffset can hold: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z (NaN fails both tests).
    private const double FirstUnixSecond = -62_135_596_800;
    private const double LastUnixSecond = 253_402_300_799;

    /// <summary>Parses <paramref name="payload"/>; false with <paramref name="problem"/> saying why when it is not a finite reading.</summary>
    public static bool TryParse(ReadOnlySequence<byte> payload, int maxBytes, out double value, out DateTimeOffset? time, out string? problem)
    {
        value = 0;
        time = null;
        if (payload.Length > maxBytes)
        {
            problem = $"is {payload.Length} bytes, more than MqttSourceOptions.MaxPayloadBytes ({maxBytes})";
            return false;
        }
        if (payload.IsSingleSegment) return TryParse(payload.FirstSpan, out value, out time, out problem);
        int length = (int)payload.Length;
        byte[]? rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> bytes = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            payload.CopyTo(bytes);
            return TryParse(bytes, out value, out time, out problem);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Parses one payload already in memory.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value, out DateTimeOffset? time, out string? problem)
    {
        value = 0;
        time = null;
        ReadOnlySpan<byte> text = utf8.Trim(" \t\r\n"u8);
        if (text.IsEmpty)
        {
            problem = "is empty";
            return false;
        }
        if (text[0] == (byte)'{')
        {
            if (TryParseJson(text, out value, out time, out problem)) return true;
            // A value read before the object turned out malformed is not a reading.
            value = 0;
            time = null;
            return false;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            if (double.IsFinite(value))
            {
                problem = null;
                return true;
            }
            value = 0;
            problem = "is not a finite number";
            return false;
        }
        problem = "is neither a number nor a JSON object with a numeric \"value\"";
        return false;
    }

    private static bool TryParseJson(ReadOnlySpan<byte> json, out double value, out DateTimeOffset? time, out string? problem)
    {
        value = 0;
        time = null;
        bool haveValue = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isValue = reader.ValueTextEquals("value"u8);
                bool isTime = !isValue && reader.ValueTextEquals("time"u8);
                reader.Read();
                if (isValue)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value))
                    {
                        value = 0;
                        problem = "has a \"value\" that is not a finite number";
                        return false;
                    }
                    haveValue = true;
                }
                else if (isTime)
                {
                    if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at)) time = at;
                    else if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double seconds)
                             && seconds >= FirstUnixSecond && seconds <= LastUnixSecond) time = DateTimeOffset.UnixEpoch.AddSeconds(seconds);
                    else
                    {
                        problem = "has a \"time\" that is neither ISO-8601 nor Unix seconds";
                        return false;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                problem = "is not one JSON object";
                return false;
            }
        }
        catch (JsonException)
        {
            problem = "is not valid JSON";
            return false;
        }
        problem = haveValue ? null : "is a JSON object without a \"value\"";
        return haveValue;
    }
}
