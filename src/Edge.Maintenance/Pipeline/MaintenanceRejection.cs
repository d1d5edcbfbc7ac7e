namespace Edge.Maintenance.Pipeline;

/// <summary>Why a reading was refused.</summary>
public enum MaintenanceRejection : byte
{
    /// <summary>Not refused.</summary>
    None,
    /// <summary>The sensor source reported a status other than Ok for one of the channels (no answer, garbage, clipped, missed).</summary>
    SensorStatus,
    /// <summary>A value is NaN or infinite.</summary>
    NotFinite,
    /// <summary>The time is not after the previous accepted reading's (a replay out of order, a clock that went back, a repeat).</summary>
    TimeNotAfterPrevious,
    /// <summary>The first readings' median bias or monitor current is not positive, so no ratio can be formed; those readings are dropped and collection starts again.</summary>
    ReferencesNotPositive,
}
