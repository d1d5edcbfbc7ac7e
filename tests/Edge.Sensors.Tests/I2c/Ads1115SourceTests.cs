using Edge.Sensors.I2c;
using Edge.Sensors.Tests.Simulated;
using Iot.Device.Ads1115;

namespace Edge.Sensors.Tests.I2c;

public sealed class Ads1115SourceTests : AdapterContract<SimulatedAds1115>
{
    protected override SimulatedAds1115 CreateDevice()
    {
        var device = new SimulatedAds1115();
        device.Inputs[0] = 1.234;
        device.Inputs[1] = 0.5;
        return device;
    }

    protected override ISensorSource CreateSource(SimulatedAds1115 device) =>
        new Ads1115Source(device, new Ads1115Options { Name = "monitor_photodiode" });

    // ±4.096 V over 32768 counts: 125 µV per count, rounded.
    protected override (double[] Expected, double[] Tolerance) ExpectedFrame(SimulatedAds1115 device) => ([device.Inputs[0]], [63e-6]);

    [Fact]
    public void The_chip_is_left_in_continuous_mode_on_the_chosen_input_range_and_rate()
    {
        var device = CreateDevice();
        using var source = new Ads1115Source(device, new Ads1115Options { Input = InputMultiplexer.AIN1, Range = MeasuringRange.FS2048, Rate = DataRate.SPS860 });
        Assert.True(source.TryRead(out var sample));
        // MUX 101 (AIN1), PGA 010 (±2.048 V), MODE 0, DR 111 (860 SPS), comparator queue disabled.
        Assert.Equal(0x54E3, device.ConfigurationRegister);
        Assert.InRange(sample.Value, 0.5 - 32e-6, 0.5 + 32e-6);
        Assert.Equal(new SensorChannel("voltage", "V"), source.Channels[0]);
    }

    [Fact]
    public void A_differential_pair_reads_signed()
    {
        var device = CreateDevice();
        device.Inputs[0] = 0.2;
        device.Inputs[1] = 0.7;
        using var source = new Ads1115Source(device, new Ads1115Options { Input = InputMultiplexer.AIN0_AIN1 });
        Assert.True(source.TryRead(out var sample));
        Assert.InRange(sample.Value, -0.5 - 63e-6, -0.5 + 63e-6);
    }

    [Fact]
    public void An_input_at_full_scale_is_OutOfRange_with_the_clipped_value()
    {
        var device = CreateDevice();
        device.Inputs[0] = 5.0;
        using var source = CreateSource(device);
        Assert.False(source.TryRead(out var sample));
        Assert.Equal(SensorStatus.OutOfRange, sample.Status);
        Assert.Equal(32767 * 4.096 / 32768, sample.Value, 1e-12);
    }

    [Fact]
    public void A_conversion_that_never_finishes_is_NoResponse_not_a_hang_or_an_exception()
    {
        var device = CreateDevice();
        device.ConversionStuck = true;
        using var source = (Ads1115Source)CreateSource(device);
        Assert.False(source.TryRead(out var sample));
        Assert.Equal(SensorStatus.NoResponse, sample.Status);
        Assert.Contains("Timeout", source.LastProblem);
        device.ConversionStuck = false;
        Assert.True(source.TryRead(out sample));
        Assert.InRange(sample.Value, 1.234 - 63e-6, 1.234 + 63e-6);
    }
}
