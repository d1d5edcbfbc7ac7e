using System.Buffers;
using System.Diagnostics;
using System.Text;
using Edge.Sensors.Mqtt;
using Edge.TestSupport;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Sensors.Tests.Mqtt;

public sealed class MqttSensorSourceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static MqttSourceOptions Options(int port) => new()
    {
        Port = port,
        Channels = [new("lab/laser1/case_temp", "case_temp", "degC"), new("lab/laser1/bias", "bias_current", "A")],
        ReconnectDelay = TimeSpan.FromMilliseconds(200),
    };

    private static async Task<IMqttClient> PublisherAsync(int port)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-publisher-" + Guid.NewGuid().ToString("N")[..8]).Build());
        return client;
    }

    private static Task PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    private static async Task<List<SensorSample>> TakeAsync(MqttSensorSource source, int count)
    {
        var samples = new List<SensorSample>();
        var clock = Stopwatch.StartNew();
        while (samples.Count < count && clock.Elapsed < Patience)
        {
            source.TryRead(out var s);
            if (s.Status == SensorStatus.NoData) await Task.Delay(10);
            else samples.Add(s);
        }
        return samples;
    }

    [Fact]
    public async Task Values_published_to_a_real_broker_arrive_as_samples_on_their_channels()
    {
        using var broker = new MosquittoBroker();
        await using var source = await MqttSensorSource.ConnectAsync(Options(broker.Port));
        using var publisher = await PublisherAsync(broker.Port);

        Assert.False(source.TryRead(out var none));
        Assert.Equal(SensorStatus.NoData, none.Status);

        await PublishAsync(publisher, "lab/laser1/case_temp", "31.25");
        await PublishAsync(publisher, "lab/laser1/bias", "{\"value\": 0.0875, \"time\": \"2026-03-01T10:00:00Z\"}");
        await PublishAsync(publisher, "lab/other/topic", "99");
        await PublishAsync(publisher, "lab/laser1/case_temp", "{\"time\": 1772359201.5, \"value\": 31.5}");

        var samples = await TakeAsync(source, 3);
        Assert.Equal(3, samples.Count);
        Assert.Equal([0, 1, 0], samples.Select(s => s.Channel));
        Assert.Equal([31.25, 0.0875, 31.5], samples.Select(s => s.Value));
        Assert.All(samples, s => Assert.Equal(SensorStatus.Ok, s.Status));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), samples[1].Timestamp);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1772359201.5), samples[2].Timestamp);
        Assert.Equal(3, source.Received);
        Assert.True(source.IsConnected);
    }

    [Fact]
    public async Task Malformed_payloads_are_bad_samples_and_the_good_ones_after_them_still_arrive()
    {
        using var broker = new MosquittoBroker();
        await using var source = await MqttSensorSource.ConnectAsync(Options(broker.Port));
        using var publisher = await PublisherAsync(broker.Port);

        string[] bad = ["hot", "", "NaN", "{\"value\": \"31\"}", "{\"temp\": 31}", "{\"value\": 31", "[31]", new string('1', 300)];
        foreach (string payload in bad) await PublishAsync(publisher, "lab/laser1/case_temp", payload);
        await PublishAsync(publisher, "lab/laser1/case_temp", "30.5");

        var samples = await TakeAsync(source, bad.Length + 1);
        Assert.Equal(bad.Length + 1, samples.Count);
        Assert.All(samples.Take(bad.Length), s =>
        {
            Assert.Equal(SensorStatus.InvalidData, s.Status);
            Assert.Equal(0.0, s.Value);
        });
        Assert.Equal(SensorStatus.Ok, samples[^1].Status);
        Assert.Equal(30.5, samples[^1].Value);
        Assert.Equal(bad.Length, source.Malformed);
    }

    [Fact]
    public async Task After_the_broker_restarts_the_source_reconnects_and_reads_again()
    {
        using var broker = new MosquittoBroker();
        await using var source = await MqttSensorSource.ConnectAsync(Options(broker.Port));
        using (var publisher = await PublisherAsync(broker.Port))
        {
            await PublishAsync(publisher, "lab/laser1/bias", "0.08");
            Assert.Single(await TakeAsync(source, 1));
        }

        broker.Stop();
        broker.Start();
        var clock = Stopwatch.StartNew();
        while (source.Reconnects == 0 && clock.Elapsed < Patience) await Task.Delay(50);
        Assert.Equal(1, source.Reconnects);

        using var again = await PublisherAsync(broker.Port);
        await PublishAsync(again, "lab/laser1/bias", "0.09");
        var samples = await TakeAsync(source, 1);
        Assert.Equal(0.09, Assert.Single(samples).Value);
    }

    [Fact]
    public async Task A_broker_that_is_not_there_is_a_one_line_SensorUnavailable_error_naming_it()
    {
        int port;
        using (var broker = new MosquittoBroker()) port = broker.Port;   // a port that was free and is closed again
        var e = await Assert.ThrowsAsync<EdgeException>(() => MqttSensorSource.ConnectAsync(Options(port) with { ConnectTimeout = TimeSpan.FromSeconds(5) }));
        Assert.Equal(EdgeErrorCode.SensorUnavailable, e.Code);
        Assert.StartsWith($"MQTT broker 127.0.0.1:{port}: cannot connect", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_full_queue_drops_the_oldest_samples()
    {
        using var source = MqttSensorSource.CreateDisconnected(Options(1883) with { QueueCapacity = 4 });
        for (int i = 1; i <= 10; i++) source.Accept("lab/laser1/bias", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(i.ToString())));
        Assert.Equal(6, source.Dropped);
        var values = new List<double>();
        while (source.TryRead(out var s)) values.Add(s.Value);
        Assert.Equal([7.0, 8.0, 9.0, 10.0], values);
    }

    [Theory]
    [InlineData("lab/+/bias")]
    [InlineData("lab/#")]
    [InlineData("")]
    public void Wildcard_or_empty_topics_are_rejected(string topic)
    {
        var e = Assert.Throws<EdgeException>(() => MqttSensorSource.CreateDisconnected(new MqttSourceOptions { Channels = [new(topic, "x")] }));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
    }
}
