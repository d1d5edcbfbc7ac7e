using Edge.Streams;

namespace Edge.TestSupport;

/// <summary>
/// StreamBatch's promise, checked the same way for every family: streams stepped together give the outputs and
/// states they give stepped alone, bit for bit, while streams join and leave between steps.
/// </summary>
public static class BatchParity
{
    /// <summary>
    /// Steps <paramref name="streams"/> streams of <paramref name="model"/> for <paramref name="steps"/> steps twice,
    /// alone and in a <see cref="StreamBatch"/>: stream k joins the batch at step k, the second one leaves for a
    /// quarter of the run and joins again at the end of the rows. <paramref name="input"/>(stream, step) gives the
    /// input; <paramref name="prepare"/> readies each new stream (text for gla-tts). Asserts every output and the
    /// final states are equal; returns how many batch steps ran with more than one stream.
    /// </summary>
    public static int AssertSameAsAlone(EdgeModel model, int streams, int steps, Func<int, int, float[]> input, Action<ModelStream, int>? prepare = null)
    {
        var alone = new ModelStream[streams];
        var inBatch = new ModelStream[streams];
        for (int k = 0; k < streams; k++)
        {
            alone[k] = model.CreateStream();
            inBatch[k] = model.CreateStream();
            prepare?.Invoke(alone[k], k);
            prepare?.Invoke(inBatch[k], k);
        }
        using var batch = new StreamBatch(model, streams);
        var y = new float[model.OutputSize];
        var inputs = new float[streams * model.InputSize];
        var outputs = new float[streams * model.OutputSize];
        int shared = 0, leaveAt = steps / 4, backAt = steps / 2;
        for (int t = 0; t < steps; t++)
        {
            if (t < streams) batch.Add(inBatch[t]);
            if (streams > 1 && t == leaveAt) batch.Remove(inBatch[1]);
            if (streams > 1 && t == backAt && !batch.Streams.Contains(inBatch[1])) batch.Add(inBatch[1]);
            var members = batch.Streams.ToArray();
            for (int r = 0; r < members.Length; r++)
            {
                int k = Array.IndexOf(inBatch, members[r]);
                input(k, (int)members[r].StepCount).CopyTo(inputs.AsSpan(r * model.InputSize));
            }
            batch.Step(inputs.AsSpan(0, batch.InputLength), outputs.AsSpan(0, batch.OutputLength));
            if (members.Length > 1) shared++;
            for (int r = 0; r < members.Length; r++)
            {
                int k = Array.IndexOf(inBatch, members[r]);
                alone[k].Step(input(k, (int)alone[k].StepCount), y);
                Assert.True(y.AsSpan().SequenceEqual(outputs.AsSpan(r * model.OutputSize, model.OutputSize)),
                    $"stream {k} at its step {alone[k].StepCount} (batch step {t}, row {r} of {members.Length}): batched output differs from the stream alone");
            }
        }
        for (int k = 0; k < streams; k++)
        {
            Assert.Equal(alone[k].StepCount, inBatch[k].StepCount);
            Assert.True(alone[k].Snapshot().Bytes.AsSpan().SequenceEqual(inBatch[k].Snapshot().Bytes), $"stream {k}: batched state differs from the stream alone");
            alone[k].Dispose();
            inBatch[k].Dispose();
        }
        return shared;
    }

    /// <summary>After warm-up, 2,000 batch steps of <paramref name="streams"/> streams allocate nothing and every state keeps its size.</summary>
    public static void AssertNoAllocation(EdgeModel model, int streams, Action<ModelStream>? prepare = null, Func<int, float>? value = null)
    {
        using var batch = new StreamBatch(model, streams);
        var members = new List<ModelStream>();
        for (int k = 0; k < streams; k++)
        {
            var s = model.CreateStream();
            prepare?.Invoke(s);
            batch.Add(s);
            members.Add(s);
        }
        var inputs = new float[batch.InputLength];
        var outputs = new float[batch.OutputLength];
        value ??= i => i * 0.001f;
        for (int i = 0; i < 200; i++) batch.Step(inputs, outputs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            inputs[i % inputs.Length] = value(i);
            batch.Step(inputs, outputs);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        foreach (var s in members)
        {
            Assert.Equal(model.State.Bytes, s.Snapshot().Bytes.Length);
            s.Dispose();
        }
    }
}
