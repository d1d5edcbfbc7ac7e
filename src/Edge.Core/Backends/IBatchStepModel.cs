namespace Edge.Backends;

/// <summary>
/// An <see cref="IStepModel"/> that can step many of its streams at once, reading each weight once per step for
/// all of them (matrix-matrix products instead of one matrix-vector product a stream). A model without it is
/// still batched by <c>StreamBatch</c>, one stream after another.
/// </summary>
public interface IBatchStepModel
{
    /// <summary>Creates the scratch a batch of up to <paramref name="capacity"/> streams needs; the sessions stay the streams' own.</summary>
    IBatchStep CreateBatchStep(int capacity);
}
