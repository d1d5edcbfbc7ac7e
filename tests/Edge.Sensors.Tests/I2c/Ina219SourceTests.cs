using Edge.Sensors.I2c;
using Edge.Sensors.Tests.Simulated;

namespace Edge.Sensors.Tests.I2c;

public sealed class Ina219SourceTests : AdapterContract<SimulatedIna219>
{
    protected override SimulatedIna219 CreateDevice() => new() { ShuntOhms = 0.1, Current = 0.25, BusVolts = 5.0 };

    protected override ISensorSource CreateSource(SimulatedIna219 device) =>
        new Ina219Source(device, new Ina219Options { Name = "laser_driver", ShuntOhms = 0.1, MaxCurrentAmperes = 0.4 });

    // One current LSB is 0.4 A / 32768 = 12.2 µA and the chip truncates; the bus LSB is 4 mV.
    protected override (double[] Expected, double[] Tolerance) ExpectedFrame(SimulatedIna219 device) =>
        ([device.Current, device.BusVolts], [2.5e-5, 0.004]);

    [Fact]
    public void Channels_are_named_with_their_units()
    {
        using var source = CreateSource(CreateDevice());
        Assert.Equal(new SensorChannel("laser_driver.current", "A"), source.Channels[0]);
        Assert.Equal(new SensorChannel("laser_driver.bus_voltage", "V"), source.Channels[1]);
    }

    [Fact]
    public void Calibration_and_gain_follow_the_shunt_and_the_largest_current()
    {
        var device = CreateDevice();
        using var source = (Ina219Source)CreateSource(device);
        source.TryRead(out _);
        // trunc(0.04096 / (0.4 / 32768 × 0.1)) = 33554; 0.4 A × 0.1 ohm = 40 mV fits the ±40 mV gain (PGA bits 00),
        // 16 V bus range (BRNG 0), 12-bit ADCs and continuous mode as after reset.
        Assert.Equal(33554, device.CalibrationRegister);
        Assert.Equal(0x019F, device.ConfigurationRegister);
        Assert.Equal(0.04096 / (33554 * 0.1), source.CurrentLsbAmperes, 1e-9);
    }

    [Fact]
    public void A_reverse_current_reads_negative()
    {
        var device = CreateDevice();
        device.Current = -0.1;
        using var source = CreateSource(device);
        Assert.True(source.TryRead(out var current));
        Assert.InRange(current.Value, -0.1 - 2.5e-5, -0.1 + 2.5e-5);
    }

    [Fact]
    public void A_current_beyond_the_shunt_range_is_OutOfRange_with_the_clipped_value()
    {
        var device = CreateDevice();
        device.Current = 0.5;
        using var source = CreateSource(device);
        Assert.False(source.TryRead(out var current));
        Assert.Equal(SensorStatus.OutOfRange, current.Status);
        Assert.InRange(current.Value, 0.399, 0.4);
        Assert.True(source.TryRead(out var bus));
        Assert.InRange(bus.Value, 4.996, 5.004);
    }

    [Fact]
    public void Both_channels_of_a_frame_carry_the_time_the_frame_was_read_from_the_given_clock()
    {
        var clock = new SteppingClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(1));
        using var source = new Ina219Source(CreateDevice(), new Ina219Options { Clock = clock });
        var frame1 = ReadFrame(source);
        var frame2 = ReadFrame(source);
        Assert.Equal(frame1[0].Timestamp, frame1[1].Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), frame1[0].Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 1, TimeSpan.Zero), frame2[1].Timestamp);
    }

    private sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private DateTimeOffset _next = start;

        public override DateTimeOffset GetUtcNow()
        {
            var now = _next;
            _next += step;
            return now;
        }
    }

    [Theory]
    [InlineData(0.0, 0.4)]
    [InlineData(0.1, -1.0)]
    [InlineData(0.1, 4.0)]
    public void Options_the_chip_cannot_meet_are_rejected_with_what_to_change(double shunt, double maxCurrent)
    {
        var e = Assert.Throws<EdgeException>(() => new Ina219Source(new SimulatedIna219(), new Ina219Options { ShuntOhms = shunt, MaxCurrentAmperes = maxCurrent }));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
        Assert.StartsWith("INA219:", e.Message);
    }
}
