namespace Edge.Maintenance.Pipeline;

/// <summary>How the pipeline decides that a unit has reached end of life (after which the predictor stops).</summary>
public sealed record MaintenancePipelineOptions
{
    /// <summary>The end-of-life criterion: the temperature-corrected bias current this far above the first day's (0.2 = a 20 % rise at constant output power).</summary>
    public double EndOfLifeRise { get; init; } = 0.2;

    /// <summary>Consecutive readings at or above <see cref="EndOfLifeRise"/> that confirm end of life, so a single glitched reading does not.</summary>
    public int EndOfLifeSamples { get; init; } = 3;
}
