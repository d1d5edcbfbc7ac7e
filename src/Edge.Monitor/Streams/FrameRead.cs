namespace Edge.Monitor.Streams;

/// <summary>What one poll of a stream's source gave.</summary>
public enum FrameRead
{
    /// <summary>A reading (perhaps with a failure status, for the pipeline to reject).</summary>
    Frame,
    /// <summary>Nothing yet; poll again.</summary>
    None,
    /// <summary>The source has no more readings (a replay's end).</summary>
    End,
}
