using System.Buffers.Binary;

namespace Edge.Fuzz.Tests;

/// <summary>
/// One edit of a byte string, in the style of AFL's havoc stage: positions are fractions of the current length,
/// so one mutation applies to any seed. <see cref="Apply"/> is deterministic, so a failing case reproduces.
/// </summary>
public readonly record struct Mutation(MutationKind Kind, int Position, int Argument)
{
    // Values that break length and count fields: the boundaries of the integer types and a few sizes.
    private static readonly long[] Interesting = [0, 1, -1, 255, 256, 65535, 65536, int.MaxValue, int.MinValue, uint.MaxValue, 1L << 40, long.MaxValue, 0x7FFF_FFFF_FFFF_FFF0];

    private static readonly byte[] Tokens = "{}[]\",:-.0123456789eE\n\r\0\u007f"u8.ToArray();

    /// <summary>The edited copy of <paramref name="input"/>.</summary>
    public byte[] Apply(byte[] input)
    {
        int n = input.Length;
        int at = n == 0 ? 0 : (int)((long)Position * n / 10_000);   // Position is in [0, 10000]
        switch (Kind)
        {
            case MutationKind.FlipBit when n > 0:
            {
                var b = (byte[])input.Clone();
                b[Math.Min(at, n - 1)] ^= (byte)(1 << (Argument & 7));
                return b;
            }
            case MutationKind.SetToken when n > 0:
            {
                var b = (byte[])input.Clone();
                b[Math.Min(at, n - 1)] = Tokens[Argument % Tokens.Length];
                return b;
            }
            case MutationKind.SetInteger when n >= 8:
            {
                var b = (byte[])input.Clone();
                int p = Math.Min(at, n - 8);
                long v = Interesting[Argument % Interesting.Length];
                if ((Argument / Interesting.Length) % 2 == 0) BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(p), v);
                else BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(p), (int)v);
                return b;
            }
            case MutationKind.SetDigits when n > 0:
            {
                // A decimal number written over text: JSON sizes, offsets, shapes and ids.
                var digits = System.Text.Encoding.ASCII.GetBytes(Interesting[Argument % Interesting.Length].ToString(System.Globalization.CultureInfo.InvariantCulture));
                var b = (byte[])input.Clone();
                for (int i = 0; i < digits.Length && at + i < n; i++) b[at + i] = digits[i];
                return b;
            }
            case MutationKind.Insert:
            {
                int len = 1 + Argument % 64;
                var b = new byte[n + len];
                input.AsSpan(0, at).CopyTo(b);
                for (int i = 0; i < len; i++) b[at + i] = Tokens[(Argument + i * 7) % Tokens.Length];
                input.AsSpan(at).CopyTo(b.AsSpan(at + len));
                return b;
            }
            case MutationKind.Delete when n > 0:
            {
                int len = Math.Min(1 + Argument % 256, n - at);
                var b = new byte[n - len];
                input.AsSpan(0, at).CopyTo(b);
                input.AsSpan(at + len).CopyTo(b.AsSpan(at));
                return b;
            }
            case MutationKind.Truncate:
                return input[..at];
            case MutationKind.Duplicate when n > 0:
            {
                int len = Math.Min(1 + Argument % 512, n - at);
                var b = new byte[n + len];
                input.AsSpan(0, at + len).CopyTo(b);
                input.AsSpan(at).CopyTo(b.AsSpan(at + len));
                return b;
            }
            default:
                return input;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}@{Position / 100.0:0.##}%({Argument})";
}

/// <summary>The kinds of <see cref="Mutation"/>.</summary>
public enum MutationKind
{
    FlipBit,
    SetToken,
    SetInteger,
    SetDigits,
    Insert,
    Delete,
    Truncate,
    Duplicate,
}
