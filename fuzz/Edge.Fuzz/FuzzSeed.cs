namespace Edge.Fuzz;

/// <summary>A named valid input that starts a target's corpus.</summary>
public sealed record FuzzSeed(string Name, byte[] Bytes);
