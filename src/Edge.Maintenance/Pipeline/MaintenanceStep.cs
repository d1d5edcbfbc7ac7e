using System.Globalization;
using Edge.Maintenance.Laser;

namespace Edge.Maintenance.Pipeline;

/// <summary>The pipeline's answer to one reading: what it did with it and, when scored, what each model said.</summary>
public readonly struct MaintenanceStep
{
    internal MaintenanceStep(in LaserReading reading, MaintenanceStepKind kind, MaintenanceRejection rejection, long sample)
    {
        Reading = reading;
        Kind = kind;
        Rejection = rejection;
        Sample = sample;
    }

    internal MaintenanceStep(in LaserReading reading, long sample, float relativeBias, float correctedBias, float? predictedNext,
        float score, float threshold, bool alert, float? rulHours, bool firstDetection, bool endOfLife)
        : this(reading, MaintenanceStepKind.Scored, MaintenanceRejection.None, sample)
    {
        RelativeBias = relativeBias;
        CorrectedBias = correctedBias;
        PredictedNext = predictedNext;
        Score = score;
        Threshold = threshold;
        IsAlert = alert;
        RulHours = rulHours;
        IsFirstDetection = firstDetection;
        IsEndOfLife = endOfLife;
    }

    /// <summary>The reading this answers.</summary>
    public LaserReading Reading { get; }

    /// <summary>Referencing, scored or rejected.</summary>
    public MaintenanceStepKind Kind { get; }

    /// <summary>Why it was rejected; None otherwise.</summary>
    public MaintenanceRejection Rejection { get; }

    /// <summary>The reading's index among the accepted readings of the run (0 = first); for a rejected one, the index the next accepted reading will get.</summary>
    public long Sample { get; }

    /// <summary>rel_bias: the bias current's rise over the first day's, as a fraction (end of life at 0.2).</summary>
    public float RelativeBias { get; }

    /// <summary>rel_bias_tc: the same, corrected to the reference temperature.</summary>
    public float CorrectedBias { get; }

    /// <summary>The predictor's rel_bias for the next reading; null once end of life has been reached (or before the first score).</summary>
    public float? PredictedNext { get; }

    /// <summary>The detector's anomaly score (0 until its window is full).</summary>
    public float Score { get; }

    /// <summary>The detector's threshold.</summary>
    public float Threshold { get; }

    /// <summary>True when the detector flags this reading (score above the threshold).</summary>
    public bool IsAlert { get; }

    /// <summary>Remaining useful life in hours, from the first detection on; null before it.</summary>
    public float? RulHours { get; }

    /// <summary>True on the reading where the detector fired for the first time (the RUL model starts here).</summary>
    public bool IsFirstDetection { get; }

    /// <summary>True on the reading where end of life was confirmed (the corrected signal at the end-of-life rise for the confirming run of readings); the predictor stops after it.</summary>
    public bool IsEndOfLife { get; }

    /// <summary>A one-line description of why the reading was rejected, for logs; null when it was not.</summary>
    public string? Problem => Rejection switch
    {
        MaintenanceRejection.None => null,
        MaintenanceRejection.SensorStatus => string.Create(CultureInfo.InvariantCulture,
            $"reading at {Reading.Time:O}: the {Channel(Reading.FaultChannel)} channel's status is {Reading.Status}, not Ok; the reading is skipped"),
        MaintenanceRejection.NotFinite => string.Create(CultureInfo.InvariantCulture,
            $"reading at {Reading.Time:O}: a value is not a finite number (bias {Reading.Bias}, monitor {Reading.Monitor}, case temperature {Reading.CaseTemperature}); the reading is skipped"),
        MaintenanceRejection.TimeNotAfterPrevious => string.Create(CultureInfo.InvariantCulture,
            $"reading at {Reading.Time:O}: not after the previous accepted reading; readings must come in time order, the reading is skipped"),
        MaintenanceRejection.ReferencesNotPositive => string.Create(CultureInfo.InvariantCulture,
            $"reading at {Reading.Time:O}: the median bias or monitor current of the first {LaserFeatures.ReferenceSamples} readings is not positive, so no ratio can be formed; those readings are dropped and the references are collected again"),
        _ => Rejection.ToString(),
    };

    private static string Channel(int c) => c switch { 0 => "bias", 1 => "monitor", 2 => "case temperature", _ => "sensor" };
}
