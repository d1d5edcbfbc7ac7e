using Edge.Formats.Safetensors;
using Edge.Maintenance.Laser;
using Edge.Sensors;
using Edge.Streams;

namespace Edge.Maintenance.Pipeline;

/// <summary>
/// The predictive-maintenance pipeline of one laser: every accepted reading becomes the five laser features, steps the
/// predictor (until end of life) and the detector, and from the detector's first flag on the RUL model, which starts
/// from a fresh state fed the last <see cref="MaintenanceModels.RulWarmup"/> samples. A bad reading (a sensor status
/// other than Ok, a non-finite value, a time not after the previous one) is reported and changes nothing. The whole
/// state (three model states and the pipeline's references, ring and counters) saves to one file and restores exactly.
/// <see cref="Step"/> allocates nothing. Not thread-safe: one pipeline per unit, the models shared.
/// </summary>
public sealed class MaintenancePipeline : IDisposable
{
    private const int Channels = 3;
    private readonly ModelStream _predictor, _detector, _rul;
    private readonly StreamState _predictorState, _detectorState, _rulState;
    private readonly float[] _features = new float[LaserFeatures.Count];
    private readonly float[] _prediction = new float[1];
    private readonly float[] _detection = new float[2];
    private readonly float[] _estimate = new float[1];
    private readonly double[] _median = new double[LaserFeatures.ReferenceSamples];
    private readonly int _warmup;
    private PipelineCounters _c;

    /// <summary>Creates a pipeline at the start of a run over <paramref name="models"/> (which it does not own).</summary>
    public MaintenancePipeline(MaintenanceModels models, MaintenancePipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        Models = models;
        Options = options ?? new MaintenancePipelineOptions();
        Fail.If(!(Options.EndOfLifeRise > 0 && double.IsFinite(Options.EndOfLifeRise)), EdgeErrorCode.InvalidArgument,
            $"MaintenancePipelineOptions.EndOfLifeRise is {Options.EndOfLifeRise}; set a positive fraction (0.2 = a 20 % rise).");
        Fail.If(Options.EndOfLifeSamples < 1, EdgeErrorCode.InvalidArgument,
            $"MaintenancePipelineOptions.EndOfLifeSamples is {Options.EndOfLifeSamples}; set 1 or more readings.");
        _warmup = models.RulWarmup;
        ReferenceReadings = new double[LaserFeatures.ReferenceSamples * Channels];
        ReferenceTicks = new long[LaserFeatures.ReferenceSamples];
        References = new double[Channels];
        Recent = new float[_warmup * LaserFeatures.Count];
        _predictor = models.Predictor.CreateStream();
        _detector = models.Detector.CreateStream();
        _rul = models.Rul.CreateStream();
        _predictorState = new StreamState(models.Predictor);
        _detectorState = new StreamState(models.Detector);
        _rulState = new StreamState(models.Rul);
    }

    /// <summary>The models it chains.</summary>
    public MaintenanceModels Models { get; }

    /// <summary>The end-of-life rule.</summary>
    public MaintenancePipelineOptions Options { get; }

    /// <summary>Readings accepted so far (referencing and scored).</summary>
    public long Samples => _c.Samples;

    /// <summary>Readings rejected so far.</summary>
    public long Rejected => _c.Rejected;

    /// <summary>Scored readings the detector flagged.</summary>
    public long Alerts => _c.Alerts;

    /// <summary>True once the references are fixed and the models run.</summary>
    public bool HasReferences => _c.HaveReferences;

    /// <summary>When the detector first fired (UTC), or null.</summary>
    public DateTimeOffset? DetectedAt => _c.Detected ? new DateTimeOffset(_c.DetectedTicks, TimeSpan.Zero) : null;

    /// <summary>When end of life was confirmed (UTC), or null.</summary>
    public DateTimeOffset? EndOfLifeAt => _c.EndOfLife ? new DateTimeOffset(_c.EndOfLifeTicks, TimeSpan.Zero) : null;

    internal double[] ReferenceReadings { get; }
    internal long[] ReferenceTicks { get; }
    internal double[] References { get; }
    internal float[] Recent { get; }
    internal ref PipelineCounters Counters => ref _c;

    /// <summary>Hands the pipeline one reading; returns what it did with it and what the models said. Allocates nothing.</summary>
    public MaintenanceStep Step(in LaserReading reading)
    {
        if (reading.Status != SensorStatus.Ok) return Reject(reading, MaintenanceRejection.SensorStatus);
        if (!double.IsFinite(reading.Bias) || !double.IsFinite(reading.Monitor) || !double.IsFinite(reading.CaseTemperature))
            return Reject(reading, MaintenanceRejection.NotFinite);
        long ticks = reading.Time.UtcTicks;
        if (_c.HasLastTime && ticks <= _c.LastTimeTicks) return Reject(reading, MaintenanceRejection.TimeNotAfterPrevious);
        if (_c.HaveReferences) return Score(reading, reading.Bias, reading.Monitor, reading.CaseTemperature, ticks);

        int k = (int)_c.ReferenceCount;
        ReferenceReadings[k * Channels] = reading.Bias;
        ReferenceReadings[k * Channels + 1] = reading.Monitor;
        ReferenceReadings[k * Channels + 2] = reading.CaseTemperature;
        ReferenceTicks[k] = ticks;
        if (k + 1 < LaserFeatures.ReferenceSamples)
        {
            _c.ReferenceCount = k + 1;
            _c.Samples++;
            _c.LastTimeTicks = ticks;
            _c.HasLastTime = true;
            return new MaintenanceStep(reading, MaintenanceStepKind.Referencing, MaintenanceRejection.None, k);
        }
        for (int ch = 0; ch < Channels; ch++)
        {
            for (int i = 0; i < LaserFeatures.ReferenceSamples; i++) _median[i] = ReferenceReadings[i * Channels + ch];
            References[ch] = LaserFeatures.Median(_median);
        }
        if (!(References[0] > 0) || !(References[1] > 0))
        {
            // No ratio can be formed from these readings: start collecting again (time order still holds).
            _c.ReferenceCount = 0;
            _c.Samples = 0;
            _c.Rejected++;
            _c.LastTimeTicks = ticks;
            _c.HasLastTime = true;
            return new MaintenanceStep(reading, MaintenanceStepKind.Rejected, MaintenanceRejection.ReferencesNotPositive, 0);
        }
        _c.ReferenceCount = 0;
        _c.HaveReferences = true;
        _c.Samples = 0;
        // The models see the run from its first reading on, as in training: replay the kept ones, answer for the last.
        for (int i = 0; i < LaserFeatures.ReferenceSamples - 1; i++)
        {
            Score(reading, ReferenceReadings[i * Channels], ReferenceReadings[i * Channels + 1], ReferenceReadings[i * Channels + 2], ReferenceTicks[i]);
        }
        return Score(reading, reading.Bias, reading.Monitor, reading.CaseTemperature, ticks);
    }

    private MaintenanceStep Reject(in LaserReading reading, MaintenanceRejection why)
    {
        _c.Rejected++;
        return new MaintenanceStep(reading, MaintenanceStepKind.Rejected, why, _c.Samples);
    }

    private MaintenanceStep Score(in LaserReading reading, double bias, double monitor, double temperature, long ticks)
    {
        LaserFeatures.Compute(bias, monitor, temperature, References[0], References[1], References[2], _features);
        if (PredictorRuns) _predictor.Step(_features, _prediction);
        _detector.Step(_features, _detection);
        if (RulRuns) _rul.Step(_features, _estimate);
        return Finish(reading, ticks);
    }

    // The parts of a scored reading that MaintenancePipelineBatch runs around its batched model steps: Plan computes the
    // features (changing nothing), the batch steps the predictor (PredictorRuns), the detector and the RUL model
    // (RulRuns) from Features into Prediction, Detection and Estimate, and Finish does the rest, as Score does alone.

    /// <summary>
    /// True when <paramref name="reading"/> is to be scored with this pipeline's features in <see cref="Features"/>;
    /// false when <see cref="Step"/> must take it alone (a rejection, referencing, the replay that ends referencing, or
    /// features that are not finite, which the predictor refuses). Changes no state.
    /// </summary>
    internal bool PlanScore(in LaserReading reading)
    {
        if (!_c.HaveReferences || reading.Status != SensorStatus.Ok) return false;
        if (!double.IsFinite(reading.Bias) || !double.IsFinite(reading.Monitor) || !double.IsFinite(reading.CaseTemperature)) return false;
        if (_c.HasLastTime && reading.Time.UtcTicks <= _c.LastTimeTicks) return false;
        LaserFeatures.Compute(reading.Bias, reading.Monitor, reading.CaseTemperature, References[0], References[1], References[2], _features);
        foreach (float f in _features)
        {
            if (!float.IsFinite(f)) return false;
        }
        return true;
    }

    internal float[] Features => _features;
    internal float[] Prediction => _prediction;
    internal float[] Detection => _detection;
    internal float[] Estimate => _estimate;
    internal ModelStream PredictorStream => _predictor;
    internal ModelStream DetectorStream => _detector;
    internal ModelStream RulStream => _rul;

    /// <summary>The predictor runs on a scored reading until end of life.</summary>
    internal bool PredictorRuns => !_c.EndOfLife;

    /// <summary>The RUL model runs on a scored reading once the detector has fired (the first flag's warm-up is <see cref="Finish"/>'s).</summary>
    internal bool RulRuns => _c.Detected;

    /// <summary>The last stamp of the MaintenancePipelineBatch pass that took this pipeline (a pipeline is refused twice in one pass).</summary>
    internal long BatchPass { get; set; }

    /// <summary>After the models have stepped on <see cref="Features"/>: the ring, the alert, the RUL warm-up at the first flag, end of life, counters.</summary>
    internal MaintenanceStep Finish(in LaserReading reading, long ticks)
    {
        long sample = _c.Samples;
        var f = _features;
        f.CopyTo(Recent.AsSpan((int)_c.RecentNext * LaserFeatures.Count, LaserFeatures.Count));
        _c.RecentNext = (_c.RecentNext + 1) % _warmup;
        _c.RecentFill = Math.Min(_c.RecentFill + 1, _warmup);

        float? predicted = PredictorRuns ? _prediction[0] : null;
        bool alert = _detection[1] > 0.5f;
        if (alert) _c.Alerts++;

        bool first = false;
        float? rul = null;
        if (_c.Detected)
        {
            rul = _estimate[0];
        }
        else if (alert)
        {
            first = true;
            _c.Detected = true;
            _c.DetectedTicks = ticks;
            _c.DetectedSample = sample;
            // A fresh RUL state fed the recent samples, oldest first, ending with this one.
            _rul.Reset();
            int fill = (int)_c.RecentFill;
            int start = ((int)_c.RecentNext - fill + _warmup) % _warmup;
            for (int i = 0; i < fill; i++)
            {
                _rul.Step(Recent.AsSpan((start + i) % _warmup * LaserFeatures.Count, LaserFeatures.Count), _estimate);
            }
            rul = _estimate[0];
        }

        bool endOfLife = false;
        if (!_c.EndOfLife)
        {
            _c.EndOfLifeRun = f[LaserFeatures.CorrectedBias] >= Options.EndOfLifeRise ? _c.EndOfLifeRun + 1 : 0;
            if (_c.EndOfLifeRun >= Options.EndOfLifeSamples)
            {
                endOfLife = true;
                _c.EndOfLife = true;
                _c.EndOfLifeTicks = ticks;
                _c.EndOfLifeSample = sample;
            }
        }
        _c.Samples++;
        _c.LastTimeTicks = ticks;
        _c.HasLastTime = true;
        return new MaintenanceStep(reading, sample, f[0], f[LaserFeatures.CorrectedBias], predicted, _detection[0], Models.Threshold, alert, rul, first, endOfLife);
    }

    /// <summary>Returns to the start of a run: no references, every model in its initial state, counters at 0.</summary>
    public void Reset()
    {
        _predictor.Reset();
        _detector.Reset();
        _rul.Reset();
        _c = default;
        Array.Clear(ReferenceReadings);
        Array.Clear(ReferenceTicks);
        Array.Clear(References);
        Array.Clear(Recent);
    }

    /// <summary>Writes the whole pipeline state to one file, atomically, bound to the three models' hashes and these options.</summary>
    public void SaveState(string path) => SafetensorsWriter.Write(path, SaveStateBytes());

    /// <summary>
    /// The bytes <see cref="SaveState"/> writes, for a caller that writes the file on another thread (a daemon whose step
    /// loop must not wait for the disk); <see cref="LoadState"/> reads them back from the file.
    /// </summary>
    public byte[] SaveStateBytes()
    {
        _predictor.Snapshot(_predictorState);
        _detector.Snapshot(_detectorState);
        _rul.Snapshot(_rulState);
        return MaintenanceStateFile.Encode(this, _predictorState.Bytes, _detectorState.Bytes, _rulState.Bytes);
    }

    /// <summary>Loads a state saved by <see cref="SaveState"/> with the same models and options; on any problem throws and leaves the pipeline unchanged.</summary>
    public void LoadState(string path)
    {
        var loaded = MaintenanceStateFile.Load(path, this);
        loaded.Predictor.CopyTo(_predictorState.Bytes, 0);
        loaded.Detector.CopyTo(_detectorState.Bytes, 0);
        loaded.Rul.CopyTo(_rulState.Bytes, 0);
        _predictor.Restore(_predictorState);
        _detector.Restore(_detectorState);
        _rul.Restore(_rulState);
        loaded.ReferenceReadings.CopyTo(ReferenceReadings, 0);
        loaded.ReferenceTicks.CopyTo(ReferenceTicks, 0);
        loaded.References.CopyTo(References, 0);
        loaded.Recent.CopyTo(Recent, 0);
        _c = loaded.Counters;
    }

    /// <summary>Releases the three model streams (the models stay loaded).</summary>
    public void Dispose()
    {
        _predictor.Dispose();
        _detector.Dispose();
        _rul.Dispose();
    }
}
