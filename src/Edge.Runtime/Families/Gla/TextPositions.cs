using System.Runtime.CompilerServices;
using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>
/// The blind cross-attention's position table <c>P [J, d_blind]</c>: learned rows smoothed by a depthwise
/// convolution (kernel 31, zero padding 15 each side, bias), or the parameter-free sinusoidal form
/// <c>[sin θ ‖ sin(θ + π/2)]</c>, <c>θ_i = j·10000^(−2i/d_blind)</c>.
/// </summary>
internal sealed class TextPositions
{
    /// <summary>Rows of the learned table (Lina's <c>Embedding(2000, d_blind)</c>): the longest text it can place.</summary>
    public const int LearnedRows = 2000;

    /// <summary>The depthwise convolution's taps.</summary>
    public const int Kernel = 31;

    private readonly float[]? _embed, _convWeight, _convBias;
    private readonly int _dim;

    private TextPositions(int dim, float[]? embed, float[]? convWeight, float[]? convBias)
    {
        _dim = dim;
        _embed = embed;
        _convWeight = convWeight;
        _convBias = convBias;
    }

    /// <summary>The longest text (in tokens) this table can place.</summary>
    public int MaxLength => _embed is null ? int.MaxValue : LearnedRows;

    /// <summary>Takes <c>attentive_rnn.cross_att.pos_embed.*</c> for the convolutional form; nothing for sinusoidal.</summary>
    public static TextPositions Load(ModelWeights w, string prefix, GlaConfig c) => c.PosType == GlaPositionType.Sinusoidal
        ? new TextPositions(c.DBlind, null, null, null)
        : new TextPositions(c.DBlind, w.Take($"{prefix}embed.weight", LearnedRows, c.DBlind),
            w.Take($"{prefix}dw_conv.weight", c.DBlind, 1, Kernel), w.Take($"{prefix}dw_conv.bias", c.DBlind));

    /// <summary>Writes rows 0..J−1 into <paramref name="p"/> ([J, d_blind]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(int j, Span<float> p)
    {
        int db = _dim;
        if (_embed is null)
        {
            int half = db / 2;
            float quarter = (float)(Math.PI / 2);
            for (int i = 0; i < half; i++)
            {
                // ω in float32 as the reference computes it, then θ = j·ω and θ + π/2 rounded to float32 before the sine.
                float omega = (float)Math.Pow(10000.0, -(float)(2 * i) / db);
                for (int t = 0; t < j; t++)
                {
                    float theta = t * omega;
                    p[t * db + i] = (float)Math.Sin(theta);
                    p[t * db + half + i] = (float)Math.Sin(theta + quarter);
                }
            }
            return;
        }
        const int pad = Kernel / 2;
        for (int t = 0; t < j; t++)
        {
            for (int ch = 0; ch < db; ch++)
            {
                double sum = _convBias![ch];
                for (int tap = 0; tap < Kernel; tap++)
                {
                    int src = t + tap - pad;
                    if (src >= 0 && src < j) sum += (double)_convWeight![ch * Kernel + tap] * _embed[src * db + ch];
                }
                p[t * db + ch] = (float)sum;
            }
        }
    }
}
