using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Sensors;

namespace Edge.Maintenance.Tests;

/// <summary>
/// Pipelines stepped together in a <see cref="MaintenancePipelineBatch"/> give each pipeline the answers and the state it
/// gets stepped alone, bit for bit, while pipelines join and leave between steps and bad readings land in some rows.
/// </summary>
public sealed class PipelineBatchTests
{
    // Units that wear out and that fail suddenly, each run through referencing, the first flag (the RUL warm-up) and end of life.
    private static readonly int[] Units = [17, 19, 37, 38, 39, 57, 59, 60];

    [Fact]
    public void The_laser_predictor_and_RUL_model_are_batched_and_the_detector_is_stepped_one_after_another()
    {
        using var batch = new MaintenancePipelineBatch(HeldOutUnits.Models, 4);
        Assert.True(batch.IsBatched);
        Assert.Equal("predictor, RUL model", batch.BatchedModels);
    }

    [Fact]
    public void Each_pipeline_gets_its_answers_and_state_alone_bit_for_bit_as_pipelines_join_leave_and_send_bad_readings()
    {
        var runs = Units.Select(HeldOutUnits.Readings).ToArray();
        int n = runs.Length;
        var alone = runs.Select(_ => new MaintenancePipeline(HeldOutUnits.Models)).ToArray();
        var together = runs.Select(_ => new MaintenancePipeline(HeldOutUnits.Models)).ToArray();
        using var batch = new MaintenancePipelineBatch(HeldOutUnits.Models, n);
        var next = new int[n];   // each pipeline's next reading
        var pipelines = new MaintenancePipeline[n];
        var readings = new LaserReading[n];
        var results = new MaintenanceStep[n];
        var faults = new EdgeException?[n];
        var index = new int[n];
        var spoilt = new bool[n];
        int injected = 0;
        int passes = 0, full = 0, rejected = 0, firstFlags = 0, endsOfLife = 0, rulRows = 0;
        for (int t = 0; next.Where((k, u) => k < runs[u].Length).Any(); t++)
        {
            int rows = 0;
            // Pipeline u joins at pass 25u (while the others are mid-run); pipeline 1 sits out passes 300-399, pipeline 2
            // every third pass; the rows come in a different order on odd passes.
            for (int j = 0; j < n; j++)
            {
                int u = t % 2 == 0 ? j : n - 1 - j;
                if (t < 25 * u || next[u] >= runs[u].Length || (u == 1 && t is >= 300 and < 400) || (u == 2 && t % 3 == 0)) continue;
                var r = runs[u][next[u]];
                // Bad readings in pipeline 3's rows: NaN, a sensor out of range, the run's first time again; each answered as
                // the pipeline alone answers it (rejected, state unchanged) and the good reading follows in the next pass.
                spoilt[rows] = u == 3 && t % 97 == 50;
                if (spoilt[rows])
                {
                    injected++;
                    r = (t / 97 % 3) switch
                    {
                        0 => r with { Bias = double.NaN },
                        1 => r with { Status = SensorStatus.OutOfRange, FaultChannel = 2 },
                        _ => r with { Time = runs[u][0].Time },
                    };
                }
                else
                {
                    next[u]++;
                }
                pipelines[rows] = together[u];
                readings[rows] = r;
                index[rows++] = u;
            }
            if (rows == 0) continue;
            Assert.Equal(0, batch.Step(pipelines.AsSpan(0, rows), readings.AsSpan(0, rows), results.AsSpan(0, rows), faults.AsSpan(0, rows)));
            passes++;
            if (rows == n) full++;
            for (int i = 0; i < rows; i++)
            {
                int u = index[i];
                bool runsRul = alone[u].DetectedAt is not null;
                var expected = alone[u].Step(readings[i]);
                Assert.True(PipelineStateTests.Bits(expected) == PipelineStateTests.Bits(results[i]),
                    $"unit {Units[u]}, pass {t}, row {i} of {rows}: batched {PipelineStateTests.Bits(results[i])}, alone {PipelineStateTests.Bits(expected)}");
                Assert.Null(faults[i]);
                if (expected.Kind == MaintenanceStepKind.Rejected) rejected++;
                if (spoilt[i]) Assert.Equal(MaintenanceStepKind.Rejected, results[i].Kind);
                if (expected.IsFirstDetection) firstFlags++;
                if (expected.IsEndOfLife) endsOfLife++;
                if (runsRul && expected.Kind == MaintenanceStepKind.Scored) rulRows++;
            }
        }
        for (int u = 0; u < n; u++)
        {
            Assert.Equal(runs[u].Length, next[u]);
            Assert.Equal(alone[u].SaveStateBytes(), together[u].SaveStateBytes());
            Assert.Equal(alone[u].Alerts, together[u].Alerts);
            alone[u].Dispose();
            together[u].Dispose();
        }
        // What the run went through: every unit flagged and reached end of life, the rejections all in pipeline 3's rows.
        Assert.Equal(n, firstFlags);
        Assert.Equal(n, endsOfLife);
        Assert.True(injected >= 10, $"{injected} bad readings");
        Assert.True(rejected >= injected, $"{rejected} readings rejected");
        Assert.True(full > 100, $"{full} passes had every pipeline");
        Assert.True(rulRows > 1000, $"{rulRows} RUL rows");
    }

    [Fact]
    public void A_reading_whose_features_overflow_fails_only_its_own_pipeline_which_keeps_its_state()
    {
        // A finite bias of 1e300 against a first-day bias near 60 gives an infinite rel_bias, which the predictor refuses:
        // alone, Step throws and changes nothing; in a batch the same exception comes back for that row only.
        var runs = new[] { 37, 38, 60 }.Select(HeldOutUnits.Readings).ToArray();
        var together = runs.Select(_ => new MaintenancePipeline(HeldOutUnits.Models)).ToArray();
        var alone = runs.Select(_ => new MaintenancePipeline(HeldOutUnits.Models)).ToArray();
        using var batch = new MaintenancePipelineBatch(HeldOutUnits.Models, 3);
        var results = new MaintenanceStep[3];
        var faults = new EdgeException?[3];
        for (int k = 0; k < 100; k++)
        {
            Assert.Equal(0, batch.Step(together, runs.Select(r => r[k]).ToArray(), results, faults));
            for (int u = 0; u < 3; u++) alone[u].Step(runs[u][k]);
        }
        byte[] before = together[1].SaveStateBytes();
        var spoilt = runs.Select(r => r[100]).ToArray();
        spoilt[1] = spoilt[1] with { Bias = 1e300 };
        Assert.Equal(1, batch.Step(together, spoilt, results, faults));
        Assert.Equal(EdgeErrorCode.InvalidInput, faults[1]!.Code);
        Assert.Null(faults[0]);
        Assert.Null(faults[2]);
        Assert.Equal(before, together[1].SaveStateBytes());
        var thrown = Assert.Throws<EdgeException>(() => alone[1].Step(spoilt[1]));
        Assert.Equal(faults[1]!.Message, thrown.Message);
        for (int k = 100; k < runs[0].Length && k < runs[1].Length && k < runs[2].Length; k++)
        {
            if (k > 100) batch.Step(together, runs.Select(r => r[k]).ToArray(), results, faults);
            for (int u = 0; u < 3; u++)
            {
                if (k == 100 && u == 1) continue;
                Assert.Equal(PipelineStateTests.Bits(alone[u].Step(runs[u][k])), PipelineStateTests.Bits(results[u]));
            }
        }
        for (int u = 0; u < 3; u++)
        {
            Assert.Equal(alone[u].SaveStateBytes(), together[u].SaveStateBytes());
            alone[u].Dispose();
            together[u].Dispose();
        }
    }

    [Fact]
    public void A_batch_step_allocates_nothing_through_referencing_the_first_flag_and_end_of_life()
    {
        // Eight pipelines on looping units with time running on, each reset when its unit starts again: every path
        // of the pipeline (referencing, its replay, scoring, the first flag with the RUL warm-up, end of life) happens
        // inside the measured steps, and members leave and join (pipeline 5 sits out every fifth step).
        var runs = Units.Select(HeldOutUnits.Readings).ToArray();
        int n = runs.Length;
        var pipelines = runs.Select(_ => new MaintenancePipeline(HeldOutUnits.Models)).ToArray();
        using var batch = new MaintenancePipelineBatch(HeldOutUnits.Models, n);
        var rows = new MaintenancePipeline[n];
        var readings = new LaserReading[n];
        var results = new MaintenanceStep[n];
        var faults = new EdgeException?[n];
        var steps = new long[n];
        long flags = 0, ends = 0;
        StepAllocation.AssertNone(i =>
        {
            int count = 0;
            for (int u = 0; u < n; u++)
            {
                if (u == 5 && i % 5 == 0) continue;
                long k = steps[u]++;
                var run = runs[u];
                if (k > 0 && k % run.Length == 0) pipelines[u].Reset();
                rows[count] = pipelines[u];
                readings[count++] = run[k % run.Length] with { Time = DateTimeOffset.UnixEpoch.AddHours(2.0 * k) };
            }
            batch.Step(rows.AsSpan(0, count), readings.AsSpan(0, count), results.AsSpan(0, count), faults.AsSpan(0, count));
            for (int r = 0; r < count; r++)
            {
                if (results[r].IsFirstDetection) flags++;
                if (results[r].IsEndOfLife) ends++;
            }
        }, warmup: 2000, steps: 6000);
        // The measured 6,000 steps cross every unit's end at least once more (the longest run, unit 18's, is not among them).
        Assert.True(flags >= 2 * n, $"{flags} first flags");
        Assert.True(ends >= 2 * n, $"{ends} ends of life");
        foreach (var p in pipelines) p.Dispose();
    }

    [Fact]
    public void A_pipeline_given_twice_or_over_other_models_or_more_than_the_capacity_is_refused_before_any_is_stepped()
    {
        var run = HeldOutUnits.Readings(60);
        using var a = new MaintenancePipeline(HeldOutUnits.Models);
        using var b = new MaintenancePipeline(HeldOutUnits.Models);
        using var batch = new MaintenancePipelineBatch(HeldOutUnits.Models, 2);
        var results = new MaintenanceStep[3];
        var faults = new EdgeException?[3];
        var twice = Assert.Throws<EdgeException>(() => batch.Step([a, a], [run[0], run[1]], results, faults));
        Assert.Equal(EdgeErrorCode.InvalidArgument, twice.Code);
        Assert.Contains("twice", twice.Message, StringComparison.Ordinal);
        var full = Assert.Throws<EdgeException>(() => batch.Step([a, b, a], [run[0], run[0], run[0]], results, faults));
        Assert.Contains("capacity 2", full.Message, StringComparison.Ordinal);
        Assert.Equal(0, a.Samples);
        Assert.Equal(0, b.Samples);
        using var other = MaintenanceModels.LoadFolder(Path.Combine(RepoPaths.Root, "models"));
        using var foreign = new MaintenancePipeline(other);
        var models = Assert.Throws<EdgeException>(() => batch.Step([a, foreign], [run[0], run[0]], results, faults));
        Assert.Contains("other models", models.Message, StringComparison.Ordinal);
        Assert.Equal(0, a.Samples);
    }
}
