using System.Device.I2c;

namespace Edge.Sensors.I2c;

/// <summary>
/// The common part of every I2C chip adapter: it reads one frame of all channels on channel 0's turn, turns bus
/// errors into statuses, and sets the chip up again after it stopped answering or lost its configuration.
/// The adapter owns the <see cref="I2cDevice"/> and disposes it.
/// </summary>
public abstract class I2cSensorSource : ISensorSource
{
    private readonly SensorChannel[] _channels;
    private readonly double[] _values;
    private readonly SensorStatus[] _statuses;
    private readonly TimeProvider _clock;
    private DateTimeOffset _frameTime;
    private int _next;
    private bool _configured;
    private bool _disposed;

    /// <summary>Creates the adapter; it touches the bus only on the first read, so a sensor that is absent at start is reported, not fatal.</summary>
    protected I2cSensorSource(I2cDevice device, SensorChannel[] channels, TimeProvider? clock)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
        _channels = channels;
        _values = new double[channels.Length];
        _statuses = new SensorStatus[channels.Length];
        _clock = clock ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public IReadOnlyList<SensorChannel> Channels => _channels;

    /// <summary>The I2C device the chip answers on.</summary>
    protected I2cDevice Device { get; }

    /// <summary>Frames read so far (one per cycle through the channels).</summary>
    public long Frames { get; private set; }

    /// <summary>Frames in which the device did not answer.</summary>
    public long NoResponseFrames { get; private set; }

    /// <summary>Frames in which the device answered with something that cannot be right (wrong id, lost configuration, garbage).</summary>
    public long InvalidFrames { get; private set; }

    /// <summary>How many times the chip was set up successfully (the first time, and after each fault).</summary>
    public long Configurations { get; private set; }

    /// <summary>What went wrong in the last faulty frame, for logs; null while every frame has been good.</summary>
    public string? LastProblem { get; private set; }

    /// <inheritdoc />
    public bool TryRead(out SensorSample sample)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_next == 0) ReadFrame();
        int channel = _next;
        _next = channel + 1 == _channels.Length ? 0 : channel + 1;
        sample = new SensorSample(_frameTime, channel, _values[channel], _statuses[channel]);
        return sample.IsOk;
    }

    /// <summary>Sets the chip up (identity check, configuration); returns false when the chip is not the one expected, with <paramref name="problem"/> saying why.</summary>
    protected abstract bool Configure(out string? problem);

    /// <summary>
    /// Reads every channel into <paramref name="values"/> and <paramref name="statuses"/>; returns false when the chip's
    /// configuration is no longer what <see cref="Configure"/> wrote (a reset behind our back, or garbage on the bus).
    /// </summary>
    protected abstract bool TryReadFrame(Span<double> values, Span<SensorStatus> statuses);

    private void ReadFrame()
    {
        Frames++;
        _frameTime = _clock.GetUtcNow();
        try
        {
            // A chip that lost its configuration (brown-out, hot-plug) is set up again at once and read in the same
            // frame, so a silent reset costs no sample; a second mismatch means the bus returns garbage.
            for (int attempt = 0; attempt < 2; attempt++)
            {
                if (!_configured)
                {
                    if (!Configure(out string? problem))
                    {
                        Invalid(problem ?? "the chip did not identify as expected");
                        return;
                    }
                    _configured = true;
                    Configurations++;
                }
                if (TryReadFrame(_values, _statuses)) return;
                _configured = false;
            }
            Invalid("the chip's configuration registers do not hold what was written");
        }
        catch (Exception e) when (e is IOException or TimeoutException or UnauthorizedAccessException)
        {
            // An I2C NAK surfaces as IOException (Linux: remote I/O error); a conversion that never completes as
            // TimeoutException. The chip may have been power-cycled, so it is set up again before the next read.
            _configured = false;
            NoResponseFrames++;
            LastProblem = e.Message;
            SetAll(SensorStatus.NoResponse);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ObjectDisposedException))
        {
            // The bindings can trip over values no real chip sends (an undefined ADC-resolution code, a lookup that
            // fails); that is garbage from the bus, and TryRead must not throw for it.
            Invalid(e.Message);
        }
    }

    private void Invalid(string problem)
    {
        _configured = false;
        InvalidFrames++;
        LastProblem = problem;
        SetAll(SensorStatus.InvalidData);
    }

    private void SetAll(SensorStatus status)
    {
        Array.Fill(_statuses, status);
        Array.Clear(_values);
    }

    /// <summary>Reads <paramref name="destination"/>.Length bytes starting at <paramref name="register"/> in one transaction.</summary>
    protected void ReadRegisters(byte register, Span<byte> destination)
    {
        Span<byte> pointer = [register];
        Device.WriteRead(pointer, destination);
    }

    /// <summary>Writes one byte to an 8-bit register.</summary>
    protected void WriteRegister(byte register, byte value)
    {
        Span<byte> buffer = [register, value];
        Device.Write(buffer);
    }

    /// <summary>Disposes the I2C device.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the chip's binding and the I2C device.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) Device.Dispose();
    }

    /// <summary>Channel names as "name.quantity", or just the quantity when no name is given.</summary>
    protected static string ChannelName(string? name, string quantity) =>
        string.IsNullOrEmpty(name) ? quantity : name + "." + quantity;
}
