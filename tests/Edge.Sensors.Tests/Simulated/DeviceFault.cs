namespace Edge.Sensors.Tests.Simulated;

/// <summary>What a simulated chip does on the bus.</summary>
public enum DeviceFault
{
    /// <summary>Answers as the chip would.</summary>
    None,
    /// <summary>Does not acknowledge: every transfer throws IOException, as Linux's i2c-dev reports a NAK.</summary>
    NoAnswer,
    /// <summary>Acknowledges but reads back all 0xFF (a floating bus, SDA stuck high) and ignores writes.</summary>
    Garbage,
    /// <summary>Acknowledges but reads back all 0x00 and ignores writes.</summary>
    Zeros,
    /// <summary>Acknowledges but reads back seeded random bytes (a corrupted bus) and ignores writes.</summary>
    RandomBytes,
}
