namespace Edge.Sensors.Sampling;

/// <summary>How a <see cref="SensorSampler"/> runs: its rate, its buffer, and how it waits between reads.</summary>
public sealed record SamplerOptions
{
    /// <summary>Frames per second (one frame reads every channel of the source once); must be positive.</summary>
    public double RateHz { get; init; } = 10;

    /// <summary>How many samples the buffer holds for <see cref="SensorSampler.TryTake"/>; when full the oldest is dropped and counted. 0 keeps no buffer (callback only).</summary>
    public int BufferCapacity { get; init; } = 4096;

    /// <summary>
    /// How long before a read is due the sampler stops sleeping and spins (zero, the default, never spins). The OS
    /// wakes a sleeper up to about a millisecond late; spinning buys tighter timing for CPU, and only helps where
    /// the sampler has a core to itself.
    /// </summary>
    public TimeSpan SpinBudget { get; init; } = TimeSpan.Zero;

    /// <summary>Called on the sampler's thread for every sample, in order, before it is buffered; keep it short and non-blocking.</summary>
    public Action<SensorSample>? OnSample { get; init; }

    /// <summary>The sampler thread's name, for debuggers and logs.</summary>
    public string ThreadName { get; init; } = "Edge.Sensors sampler";
}
