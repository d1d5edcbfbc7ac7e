namespace Edge.Sensors;

/// <summary>What became of one read: a value, or the reason there is none. A failed read is a status, never a NaN value.</summary>
public enum SensorStatus : byte
{
    /// <summary>The value is a good measurement.</summary>
    Ok = 0,
    /// <summary>The device did not answer (an I2C NAK, a bus timeout, a conversion that never finished); the value is 0.</summary>
    NoResponse = 1,
    /// <summary>The device or the data answered with something that cannot be a measurement (wrong chip id, a lost configuration, all 0xFF, a non-numeric or NaN cell, a malformed payload); the value is 0.</summary>
    InvalidData = 2,
    /// <summary>The measurement is clipped at the end of the chip's range (ADC full scale, INA219 math overflow); the value is the clipped reading.</summary>
    OutOfRange = 3,
    /// <summary>The sampler was late by a whole period and never read this one; the value is 0 and the timestamp is when the read was due.</summary>
    Missed = 4,
    /// <summary>Nothing is available yet (an MQTT queue that is empty); the value is 0.</summary>
    NoData = 5,
    /// <summary>The source has nothing more (the end of a replayed file); the value is 0.</summary>
    EndOfData = 6,
}
