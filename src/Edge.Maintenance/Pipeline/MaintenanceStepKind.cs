namespace Edge.Maintenance.Pipeline;

/// <summary>What became of one reading handed to <see cref="MaintenancePipeline.Step"/>.</summary>
public enum MaintenanceStepKind : byte
{
    /// <summary>Kept to fix the references (the first readings of a run); no model has run yet.</summary>
    Referencing,
    /// <summary>Run through the models: the result holds the prediction, the score and, after detection, the RUL.</summary>
    Scored,
    /// <summary>Refused (<see cref="MaintenanceStep.Rejection"/> says why); the pipeline's state is unchanged.</summary>
    Rejected,
}
