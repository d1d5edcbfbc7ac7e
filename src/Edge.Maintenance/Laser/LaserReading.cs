using Edge.Sensors;

namespace Edge.Maintenance.Laser;

/// <summary>
/// One reading of a laser under test: when, the driver's bias current, the monitor photodiode's current and the case
/// temperature. The currents may be in any unit that stays the same over the run (the models read ratios to the
/// first day's); the temperature is in °C. <see cref="Status"/> is the sensor source's verdict on the frame.
/// </summary>
/// <param name="Time">When the reading was taken; each reading must be later than the one before.</param>
/// <param name="Bias">The bias current (the degradation signal: it rises as the laser ages at constant power).</param>
/// <param name="Monitor">The monitor photodiode's current (it collapses when the laser fails suddenly).</param>
/// <param name="CaseTemperature">The laser case temperature, °C.</param>
/// <param name="Status">Ok, or the first failure status among the three channels' samples.</param>
/// <param name="FaultChannel">The channel (0 bias, 1 monitor, 2 temperature) whose status is <see cref="Status"/>; −1 when all are Ok.</param>
public readonly record struct LaserReading(
    DateTimeOffset Time, double Bias, double Monitor, double CaseTemperature,
    SensorStatus Status = SensorStatus.Ok, int FaultChannel = -1);
