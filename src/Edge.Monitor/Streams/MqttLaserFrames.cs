using Edge.Maintenance.Laser;
using Edge.Monitor.Config;
using Edge.Sensors;
using Edge.Sensors.Mqtt;

namespace Edge.Monitor.Streams;

/// <summary>
/// A laser's three MQTT topics assembled into frames: a frame is emitted once each channel has a sample since the last
/// frame, at the latest sample's time, with the first failure status among them. While the broker cannot be reached
/// the source is retried on every poll after <see cref="BrokerConfig.ReconnectS"/>; the stream reads nothing meanwhile.
/// </summary>
public sealed class MqttLaserFrames : ILaserFrames
{
    private readonly MqttSourceOptions _options;
    private readonly TimeSpan _retry;
    private readonly double[] _values = new double[3];
    private readonly SensorStatus[] _status = new SensorStatus[3];
    private DateTimeOffset _latest;
    private int _have;
    private MqttSensorSource? _source;
    private Task<MqttSensorSource>? _connecting;
    private DateTime _nextTry;
    private string? _problem;

    /// <summary>Subscribes to <paramref name="topics"/> on <paramref name="broker"/> (the source's own connection).</summary>
    public MqttLaserFrames(string clientId, BrokerConfig broker, MqttTopicsConfig topics, string? password)
    {
        _options = new MqttSourceOptions
        {
            Host = broker.Host, Port = broker.Port, ClientId = clientId, UserName = broker.Username, Password = password,
            Channels = [new(topics.Bias, "bias_ma"), new(topics.Monitor, "monitor_ua"), new(topics.CaseTemp, "case_temp_c")],
            ReconnectDelay = TimeSpan.FromSeconds(broker.ReconnectS),
        };
        _retry = TimeSpan.FromSeconds(broker.ReconnectS);
    }

    /// <inheritdoc />
    public FrameRead TryRead(out LaserReading reading)
    {
        reading = default;
        if (_source is null && !Connect()) return FrameRead.None;
        while (true)
        {
            _source!.TryRead(out var s);
            if (s.Status == SensorStatus.NoData) return FrameRead.None;
            int bit = 1 << s.Channel;
            _values[s.Channel] = s.Value;
            _status[s.Channel] = s.Status;
            if (s.Timestamp > _latest || _have == 0) _latest = s.Timestamp;
            _have |= bit;
            if (_have != 7) continue;
            _have = 0;
            var status = SensorStatus.Ok;
            int fault = -1;
            for (int c = 0; c < 3 && fault < 0; c++)
            {
                if (_status[c] != SensorStatus.Ok) (status, fault) = (_status[c], c);
            }
            reading = new LaserReading(_latest, _values[0], _values[1], _values[2], status, fault);
            return FrameRead.Frame;
        }
    }

    private bool Connect()
    {
        if (_connecting is null)
        {
            if (DateTime.UtcNow < _nextTry) return false;
            _connecting = MqttSensorSource.ConnectAsync(_options);
        }
        if (!_connecting.IsCompleted) return false;
        if (_connecting.IsCompletedSuccessfully)
        {
            _source = _connecting.Result;
            _problem = null;
        }
        else
        {
            _problem = _connecting.Exception?.InnerException?.Message ?? "cannot connect";
            _nextTry = DateTime.UtcNow + _retry;
        }
        _connecting = null;
        return _source is not null;
    }

    /// <inheritdoc />
    public string? LastProblem => _problem ?? _source?.LastProblem;

    /// <inheritdoc />
    public long Dropped => _source?.Dropped ?? 0;

    /// <inheritdoc />
    public void Dispose()
    {
        _source?.Dispose();
        if (_connecting is { } c) _ = c.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
    }
}
