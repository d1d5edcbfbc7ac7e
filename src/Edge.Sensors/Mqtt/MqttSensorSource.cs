using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Sensors.Mqtt;

/// <summary>
/// Subscribes to sensors that publish over MQTT (MQTTnet client) and queues what arrives as samples, in arrival
/// order, one channel per topic. A malformed payload is an InvalidData sample on its channel; an empty queue reads
/// as <see cref="SensorStatus.NoData"/>. After the broker goes away the source reconnects and subscribes again.
/// </summary>
public sealed class MqttSensorSource : ISensorSource, IAsyncDisposable
{
    private readonly MqttSourceOptions _options;
    private readonly SensorChannel[] _channels;
    private readonly Dictionary<string, int> _channelOfTopic;
    private readonly TimeProvider _clock;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly MqttClientSubscribeOptions _subscribeOptions;
    private readonly SensorSample[] _queue;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _closing = new();
    private int _head, _count;
    private long _received, _malformed, _dropped, _reconnects;
    private string? _lastProblem;
    private Task _reconnecting = Task.CompletedTask;
    private int _disposed;

    private MqttSensorSource(MqttSourceOptions options)
    {
        _options = options;
        _channels = options.Channels.Select(c => new SensorChannel(c.Name, c.Unit)).ToArray();
        _channelOfTopic = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < options.Channels.Count; c++) _channelOfTopic[options.Channels[c].Topic] = c;
        _clock = options.Clock ?? TimeProvider.System;
        _queue = new SensorSample[options.QueueCapacity];

        var factory = new MqttClientFactory();
        _client = factory.CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId ?? "edge-sensors-" + Guid.NewGuid().ToString("N")[..12])
            .WithCleanSession()
            .WithTimeout(options.ConnectTimeout);
        if (options.UserName is not null) builder = builder.WithCredentials(options.UserName, options.Password);
        _clientOptions = builder.Build();
        var subscribe = factory.CreateSubscribeOptionsBuilder();
        foreach (var channel in options.Channels) subscribe = subscribe.WithTopicFilter(t => t.WithTopic(channel.Topic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        _subscribeOptions = subscribe.Build();

        _client.ApplicationMessageReceivedAsync += e =>
        {
            Accept(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += e =>
        {
            // Only a connection that was up starts the loop; failed attempts inside the loop raise this event too.
            if (e.ClientWasConnected && Volatile.Read(ref _disposed) == 0 && _reconnecting.IsCompleted) _reconnecting = Task.Run(ReconnectAsync);
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects to the broker and subscribes; an <see cref="EdgeException"/> (SensorUnavailable) says which broker could not be reached.</summary>
    public static async Task<MqttSensorSource> ConnectAsync(MqttSourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var source = new MqttSensorSource(options);
        try
        {
            await source.ConnectAndSubscribeAsync(cancellationToken).ConfigureAwait(false);
            return source;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw new EdgeException(EdgeErrorCode.SensorUnavailable,
                $"MQTT broker {options.Host}:{options.Port}: cannot connect and subscribe ({e.Message}); check MqttSourceOptions.Host and Port and that the broker runs.", e);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SensorChannel> Channels => _channels;

    /// <summary>Whether the client is connected to the broker now.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Messages received on the subscribed topics.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages whose payload was not a finite reading.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Samples dropped because the queue was full (the reader was too slow).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Successful reconnections after the broker went away.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>The last malformed payload or connection problem, for logs.</summary>
    public string? LastProblem => Volatile.Read(ref _lastProblem);

    /// <summary>Samples waiting in the queue.</summary>
    public int Queued { get { lock (_gate) return _count; } }

    /// <inheritdoc />
    public bool TryRead(out SensorSample sample)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            if (_count == 0)
            {
                sample = new SensorSample(_clock.GetUtcNow(), 0, 0, SensorStatus.NoData);
                return false;
            }
            sample = _queue[_head];
            _head = _head + 1 == _queue.Length ? 0 : _head + 1;
            _count--;
        }
        return sample.IsOk;
    }

    /// <summary>Queues one message as a sample; messages on topics that are not channels are ignored.</summary>
    internal void Accept(string topic, ReadOnlySequence<byte> payload)
    {
        if (!_channelOfTopic.TryGetValue(topic, out int channel)) return;
        Interlocked.Increment(ref _received);
        SensorSample sample;
        if (MqttPayload.TryParse(payload, _options.MaxPayloadBytes, out double value, out DateTimeOffset? time, out string? problem))
        {
            sample = new SensorSample(time ?? _clock.GetUtcNow(), channel, value, SensorStatus.Ok);
        }
        else
        {
            Interlocked.Increment(ref _malformed);
            Volatile.Write(ref _lastProblem, $"topic '{topic}': the payload {problem}");
            sample = new SensorSample(_clock.GetUtcNow(), channel, 0, SensorStatus.InvalidData);
        }
        lock (_gate)
        {
            if (_count == _queue.Length)
            {
                _head = _head + 1 == _queue.Length ? 0 : _head + 1;
                _count--;
                Interlocked.Increment(ref _dropped);
            }
            int tail = _head + _count;
            if (tail >= _queue.Length) tail -= _queue.Length;
            _queue[tail] = sample;
            _count++;
        }
    }

    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
        var result = await _client.SubscribeAsync(_subscribeOptions, cancellationToken).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if ((int)item.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2)
            {
                throw new InvalidOperationException($"the broker refused the subscription to '{item.TopicFilter.Topic}' ({item.ResultCode})");
            }
        }
    }

    private async Task ReconnectAsync()
    {
        var closing = _closing.Token;
        while (!closing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ReconnectDelay, closing).ConfigureAwait(false);
                if (_client.IsConnected) return;
                await ConnectAndSubscribeAsync(closing).ConfigureAwait(false);
                Interlocked.Increment(ref _reconnects);
                return;
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The broker is still away; keep trying at the configured pace.
                Volatile.Write(ref _lastProblem, $"MQTT broker {_options.Host}:{_options.Port}: reconnect failed ({e.Message})");
            }
        }
    }

    private static void Validate(MqttSourceOptions o)
    {
        if (o.Channels.Count == 0) Fail.With(EdgeErrorCode.InvalidArgument, "MqttSourceOptions.Channels is empty; name at least one topic to read.");
        foreach (var c in o.Channels)
        {
            if (string.IsNullOrEmpty(c.Topic) || c.Topic.Contains('+') || c.Topic.Contains('#'))
            {
                Fail.With(EdgeErrorCode.InvalidArgument, $"MqttSourceOptions.Channels: topic '{c.Topic}' for channel '{c.Name}' must be an exact topic (no + or # wildcards): each topic is one channel.");
            }
        }
        var duplicate = o.Channels.GroupBy(c => c.Topic, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) Fail.With(EdgeErrorCode.InvalidArgument, $"MqttSourceOptions.Channels names topic '{duplicate.Key}' twice; give each channel its own topic.");
        if (o.Port is < 1 or > 65535) Fail.With(EdgeErrorCode.InvalidArgument, $"MqttSourceOptions.Port is {o.Port}; use a TCP port (1883 is MQTT's).");
        if (o.QueueCapacity < 1) Fail.With(EdgeErrorCode.InvalidArgument, $"MqttSourceOptions.QueueCapacity is {o.QueueCapacity}; use 1 or more.");
        if (o.MaxPayloadBytes is < 1 or > 65536) Fail.With(EdgeErrorCode.InvalidArgument, $"MqttSourceOptions.MaxPayloadBytes is {o.MaxPayloadBytes}; use 1 to 65536.");
    }

    /// <summary>Creates a source without connecting, for tests of the queue and the payload handling.</summary>
    internal static MqttSensorSource CreateDisconnected(MqttSourceOptions options)
    {
        Validate(options);
        return new MqttSensorSource(options);
    }

    /// <summary>Disconnects from the broker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _closing.Cancel();
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Closing a connection the broker already dropped is not a failure of the caller's.
        }
        try
        {
            await _reconnecting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _client.Dispose();
        _closing.Dispose();
    }

    /// <summary>Disconnects from the broker.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
