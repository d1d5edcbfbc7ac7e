using Edge.Maintenance.Laser;
using Edge.Streams;

namespace Edge.Maintenance.Pipeline;

/// <summary>
/// Many pipelines over the same <see cref="MaintenanceModels"/> stepped together, one reading each: one
/// <see cref="StreamBatch"/> per model, so that the predictor's and the RUL model's weights are read once for every
/// pipeline that runs them (their family, gru-attention, has a batched step; the detector's family steps its members one
/// after another inside its batch). Every pipeline gets the answer and the state it gets from
/// <see cref="MaintenancePipeline.Step"/> alone, bit for bit; pipelines join and leave between calls (pass any of them,
/// in any order). A reading the pipeline refuses (a sensor status, NaN or ∞, a time not after the last) is answered by
/// that pipeline alone with its state unchanged, as are referencing, the replay that ends it, and the first flag's RUL
/// warm-up. <see cref="Step"/> allocates nothing.
/// </summary>
/// <remarks>A batch belongs to one thread at a time, and so do the pipelines it steps.</remarks>
public sealed class MaintenancePipelineBatch : IDisposable
{
    private static long s_passes;
    private readonly StreamBatch _predictor, _detector, _rul;
    private readonly ModelStream[] _rows;
    private readonly int[] _pipelineOfRow;
    private readonly bool[] _scored;
    private readonly float[] _inputs, _predictions, _detections, _estimates;

    /// <summary>An empty batch for up to <paramref name="capacity"/> pipelines over <paramref name="models"/>.</summary>
    public MaintenancePipelineBatch(MaintenanceModels models, int capacity)
    {
        ArgumentNullException.ThrowIfNull(models);
        Fail.If(capacity < 1 || capacity > StreamBatch.MaxCapacity, EdgeErrorCode.InvalidArgument,
            $"A pipeline batch holds 1 to {StreamBatch.MaxCapacity} pipelines; {capacity} was asked for.");
        Models = models;
        Capacity = capacity;
        _predictor = new StreamBatch(models.Predictor, capacity);
        _detector = new StreamBatch(models.Detector, capacity);
        _rul = new StreamBatch(models.Rul, capacity);
        _rows = new ModelStream[capacity];
        _pipelineOfRow = new int[capacity];
        _scored = new bool[capacity];
        _inputs = new float[capacity * LaserFeatures.Count];
        _predictions = new float[capacity * models.Predictor.OutputSize];
        _detections = new float[capacity * models.Detector.OutputSize];
        _estimates = new float[capacity * models.Rul.OutputSize];
    }

    /// <summary>The models every pipeline of the batch runs.</summary>
    public MaintenanceModels Models { get; }

    /// <summary>The most pipelines one <see cref="Step"/> takes.</summary>
    public int Capacity { get; }

    /// <summary>True when at least one of the three models reads its weights once for the whole batch; false when every model steps one stream after another (then the batch saves nothing over stepping each pipeline alone).</summary>
    public bool IsBatched => _predictor.IsBatched || _detector.IsBatched || _rul.IsBatched;

    /// <summary>Which of the predictor, the detector and the RUL model read their weights once for the batch, for logs: e.g. "predictor, RUL model".</summary>
    public string BatchedModels => string.Join(", ", new[] { (_predictor, "predictor"), (_detector, "detector"), (_rul, "RUL model") }
        .Where(b => b.Item1.IsBatched).Select(b => b.Item2).DefaultIfEmpty("none"));

    /// <summary>
    /// Hands <paramref name="pipelines"/>[i] the reading <paramref name="readings"/>[i] and writes its answer to
    /// <paramref name="results"/>[i], as <see cref="MaintenancePipeline.Step"/> alone would. A pipeline whose own step
    /// throws (features that overflow to ∞, which its predictor refuses) gets that exception in
    /// <paramref name="faults"/>[i] and no answer; the others are stepped as usual. Returns how many faulted.
    /// The pipelines must be distinct and built over <see cref="Models"/>. Allocates nothing.
    /// </summary>
    public int Step(ReadOnlySpan<MaintenancePipeline> pipelines, ReadOnlySpan<LaserReading> readings, Span<MaintenanceStep> results, Span<EdgeException?> faults)
    {
        int n = pipelines.Length;
        Fail.If(n > Capacity, EdgeErrorCode.InvalidArgument,
            $"{n} pipelines were given to a batch of capacity {Capacity}; make a larger batch or step them in parts.");
        Fail.If(readings.Length != n || results.Length < n || faults.Length < n, EdgeErrorCode.InvalidArgument,
            $"{n} pipelines need {n} readings, and room for {n} results and {n} faults; got {readings.Length}, {results.Length} and {faults.Length}.");
        long pass = Interlocked.Increment(ref s_passes);
        for (int i = 0; i < n; i++)
        {
            var p = pipelines[i];
            ArgumentNullException.ThrowIfNull(p, nameof(pipelines));
            Fail.If(!ReferenceEquals(p.Models, Models), EdgeErrorCode.InvalidArgument,
                $"Pipeline {i} runs other models; a pipeline batch steps pipelines built over its own MaintenanceModels.");
            Fail.If(p.BatchPass == pass, EdgeErrorCode.InvalidArgument,
                $"Pipeline {i} is given twice in one step; each pipeline takes one reading a step.");
            p.BatchPass = pass;
        }

        // What each pipeline alone would do first; refused readings, referencing and the replay that ends it are answered here.
        int faulted = 0;
        for (int i = 0; i < n; i++)
        {
            faults[i] = null;
            _scored[i] = pipelines[i].PlanScore(readings[i]);
            if (_scored[i]) continue;
            try
            {
                results[i] = pipelines[i].Step(readings[i]);
            }
            catch (EdgeException e)
            {
                faults[i] = e;
                results[i] = default;
                faulted++;
            }
        }

        // One batch step per model over the pipelines that run it, their features as rows.
        int rows = Gather(pipelines, static p => p.PredictorRuns, static p => p.PredictorStream);
        Run(_predictor, rows, _predictions, pipelines, static p => p.Prediction);
        rows = Gather(pipelines, static p => true, static p => p.DetectorStream);
        Run(_detector, rows, _detections, pipelines, static p => p.Detection);
        rows = Gather(pipelines, static p => p.RulRuns, static p => p.RulStream);
        Run(_rul, rows, _estimates, pipelines, static p => p.Estimate);

        for (int i = 0; i < n; i++)
        {
            if (_scored[i]) results[i] = pipelines[i].Finish(readings[i], readings[i].Time.UtcTicks);
        }
        return faulted;
    }

    // Stacks the features of the scored pipelines for which `runs` holds into _inputs, their streams into _rows.
    private int Gather(ReadOnlySpan<MaintenancePipeline> pipelines, Func<MaintenancePipeline, bool> runs, Func<MaintenancePipeline, ModelStream> stream)
    {
        int rows = 0;
        for (int i = 0; i < pipelines.Length; i++)
        {
            var p = pipelines[i];
            if (!_scored[i] || !runs(p)) continue;
            p.Features.CopyTo(_inputs, rows * LaserFeatures.Count);
            _rows[rows] = stream(p);
            _pipelineOfRow[rows++] = i;
        }
        return rows;
    }

    private void Run(StreamBatch batch, int rows, float[] outputs, ReadOnlySpan<MaintenancePipeline> pipelines, Func<MaintenancePipeline, float[]> into)
    {
        if (rows == 0) return;
        Join(batch, rows);
        int m = batch.Model.OutputSize;
        batch.Step(_inputs.AsSpan(0, rows * LaserFeatures.Count), outputs.AsSpan(0, rows * m));
        for (int r = 0; r < rows; r++) outputs.AsSpan(r * m, m).CopyTo(into(pipelines[_pipelineOfRow[r]]));
        Array.Clear(_rows, 0, rows);
    }

    // Makes the batch's members _rows[0..rows), in order, keeping the longest run of members that is already in place
    // (a pass with the same pipelines as the last changes nothing).
    private void Join(StreamBatch batch, int rows)
    {
        var members = batch.Streams;
        int same = 0;
        while (same < rows && same < members.Count && ReferenceEquals(members[same], _rows[same])) same++;
        for (int i = members.Count - 1; i >= same; i--) batch.Remove(members[i]);
        for (int i = same; i < rows; i++) batch.Add(_rows[i]);
    }

    /// <summary>Releases the batches' scratch; the pipelines stay open.</summary>
    public void Dispose()
    {
        _predictor.Dispose();
        _detector.Dispose();
        _rul.Dispose();
    }
}
