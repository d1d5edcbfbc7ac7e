using System.Buffers;
using System.Text;
using Edge.Sensors.Mqtt;

namespace Edge.Sensors.Tests.Mqtt;

public sealed class MqttPayloadTests
{
    private static (bool Ok, double Value, DateTimeOffset? Time, string? Problem) Parse(string payload, int max = 256)
    {
        bool ok = MqttPayload.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), max, out double value, out var time, out string? problem);
        return (ok, value, time, problem);
    }

    [Theory]
    [InlineData("23.5", 23.5)]
    [InlineData("  -1e-3\n", -0.001)]
    [InlineData("{\"value\":7}", 7.0)]
    [InlineData("{\"unit\":\"degC\",\"value\":21.5,\"extra\":{\"a\":[1,2]}}", 21.5)]
    public void Numbers_and_json_objects_with_a_value_parse(string payload, double expected)
    {
        var r = Parse(payload);
        Assert.True(r.Ok, r.Problem);
        Assert.Equal(expected, r.Value);
        Assert.Null(r.Time);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("warm", "is neither a number nor a JSON object with a numeric \"value\"")]
    [InlineData("NaN", "is not a finite number")]
    [InlineData("1e400", "is not a finite number")]
    [InlineData("{\"value\":null}", "has a \"value\" that is not a finite number")]
    [InlineData("{\"value\":1e400}", "has a \"value\" that is not a finite number")]
    [InlineData("{\"reading\":1}", "is a JSON object without a \"value\"")]
    [InlineData("{\"value\":1,\"time\":\"yesterday\"}", "has a \"time\" that is neither ISO-8601 nor Unix seconds")]
    [InlineData("{\"value\":1", "is not valid JSON")]
    [InlineData("{\"value\":1} {}", "is not valid JSON")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}},\"value\":1}", "is not valid JSON")]
    public void Anything_else_is_rejected_with_the_reason_and_a_zero_value(string payload, string problem)
    {
        var r = Parse(payload);
        Assert.False(r.Ok);
        Assert.Equal(0.0, r.Value);
        Assert.Equal(problem, r.Problem);
    }

    [Theory]
    [InlineData("{\"time\": -111111111113, \"value\": 3}")]     // the fuzzer's finding, its time kept
    [InlineData("{\"value\": 3, \"time\": -62135596801}")]     // one second before 0001-01-01
    [InlineData("{\"value\": 3, \"time\": 253402300800}")]     // one second after 9999-12-31T23:59:59
    public void Fuzz_finding_a_unix_time_before_year_1_is_rejected_not_thrown(string payload)
    {
        var r = Parse(payload);
        Assert.False(r.Ok);
        Assert.Equal("has a \"time\" that is neither ISO-8601 nor Unix seconds", r.Problem);
    }

    [Fact]
    public void The_first_and_last_representable_unix_seconds_are_times()
    {
        Assert.True(MqttPayload.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"value\": 1, \"time\": -62135596800}")), 256, out _, out var first, out _));
        Assert.Equal(DateTimeOffset.MinValue, first);
        Assert.True(MqttPayload.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"value\": 1, \"time\": 253402300799}")), 256, out _, out var last, out _));
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), last);
    }

    [Fact]
    public void A_payload_over_the_limit_is_rejected_before_it_is_parsed()
    {
        var r = Parse(new string('1', 300), max: 256);
        Assert.False(r.Ok);
        Assert.Equal("is 300 bytes, more than MqttSourceOptions.MaxPayloadBytes (256)", r.Problem);
    }

    [Fact]
    public void A_payload_split_across_segments_parses_as_one()
    {
        var first = new Segment(Encoding.UTF8.GetBytes("{\"val"));
        var last = first.Append(Encoding.UTF8.GetBytes("ue\": 4.25}"));
        bool ok = MqttPayload.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), 256, out double value, out _, out _);
        Assert.True(ok);
        Assert.Equal(4.25, value);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
