using Edge.Sensors.I2c;
using Edge.Sensors.Tests.Simulated;

namespace Edge.Sensors.Tests.I2c;

public sealed class Adxl345SourceTests : AdapterContract<SimulatedAdxl345>
{
    protected override SimulatedAdxl345 CreateDevice()
    {
        var device = new SimulatedAdxl345();
        device.Acceleration[0] = 0.5;
        device.Acceleration[1] = -0.25;
        device.Acceleration[2] = 1.0;
        return device;
    }

    protected override ISensorSource CreateSource(SimulatedAdxl345 device) =>
        new Adxl345Source(device, new Adxl345Options { Name = "mount", RangeG = 4, RateHz = 400 });

    // Full resolution: 1/256 g per count; these values are whole counts.
    protected override (double[] Expected, double[] Tolerance) ExpectedFrame(SimulatedAdxl345 device) =>
        ([.. device.Acceleration], [1e-12, 1e-12, 1e-12]);

    [Fact]
    public void The_chip_is_set_to_full_resolution_at_the_chosen_range_and_rate()
    {
        var device = CreateDevice();
        using var source = CreateSource(device);
        source.TryRead(out _);
        Assert.Equal(0x0C, device[0x2C]);        // 400 Hz
        Assert.Equal(0x08, device[0x2D]);        // measure
        Assert.Equal(0x09, device[0x31]);        // FULL_RES, ±4 g
        Assert.Equal(["mount.x", "mount.y", "mount.z"], source.Channels.Select(c => c.Name));
    }

    [Fact]
    public void An_axis_at_full_scale_is_OutOfRange_and_the_others_stay_good()
    {
        var device = CreateDevice();
        device.Acceleration[0] = 6.0;
        using var source = CreateSource(device);
        var frame = ReadFrame(source);
        Assert.Equal(SensorStatus.OutOfRange, frame[0].Status);
        Assert.Equal(1023 / 256.0, frame[0].Value);
        Assert.Equal(SensorStatus.Ok, frame[1].Status);
        Assert.Equal(SensorStatus.Ok, frame[2].Status);
    }

    [Fact]
    public void A_chip_with_another_id_is_InvalidData_naming_the_id()
    {
        var device = new SimulatedAdxl345(deviceId: 0x00);
        using var source = (Adxl345Source)CreateSource(device);
        Assert.All(ReadFrame(source), s => Assert.Equal(SensorStatus.InvalidData, s.Status));
        Assert.Contains("0x00", source.LastProblem);
    }

    [Theory]
    [InlineData(3, 100.0)]
    [InlineData(4, 150.0)]
    public void A_range_or_rate_the_chip_lacks_is_rejected(int range, double rate)
    {
        var e = Assert.Throws<EdgeException>(() => new Adxl345Source(new SimulatedAdxl345(), new Adxl345Options { RangeG = range, RateHz = rate }));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
    }
}
