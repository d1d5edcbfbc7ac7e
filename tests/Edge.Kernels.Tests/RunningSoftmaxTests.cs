using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class RunningSoftmaxTests
{
    private static (double[] Average, double Max) Direct(float[] scores, float[][] values)
    {
        double max = scores.Max();
        var w = scores.Select(s => Math.Exp(s - max)).ToArray();
        double sum = w.Sum();
        var avg = new double[values[0].Length];
        for (int t = 0; t < scores.Length; t++)
            for (int i = 0; i < avg.Length; i++) avg[i] += w[t] * values[t][i] / sum;
        return (avg, max);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1000.0)]      // exp(±1000) overflows without the running max
    [InlineData(1e30)]
    public void Equals_the_direct_softmax_average_at_every_step(double scale)
    {
        var rng = new Random(9);
        int n = 500, d = 5;
        var scores = Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        var values = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
        double m = double.NegativeInfinity, c = 0;
        var a = new double[d];
        var o = new float[d];
        for (int t = 0; t < n; t++)
        {
            RunningSoftmax.Add(ref m, ref c, a, scores[t], values[t]);
            RunningSoftmax.Average(c, a, o);
            var (expected, max) = Direct(scores[..(t + 1)], values[..(t + 1)]);
            Assert.Equal(max, m);
            Assert.True(c >= 1);
            for (int i = 0; i < d; i++) Assert.True(Math.Abs(o[i] - expected[i]) <= 1e-6, $"t {t}: {o[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void The_first_pair_is_stored_with_weight_one_and_infinite_scores_give_no_NaN()
    {
        double m = double.NegativeInfinity, c = 0;
        var a = new double[2];
        var o = new float[2];
        RunningSoftmax.Average(c, a, o);
        Assert.Equal([0f, 0f], o);
        RunningSoftmax.Add(ref m, ref c, a, float.NegativeInfinity, [1f, 2f]);
        Assert.Equal((double)float.NegativeInfinity, m);
        Assert.Equal(1, c);
        RunningSoftmax.Add(ref m, ref c, a, float.NegativeInfinity, [3f, 4f]);   // equal infinite scores weigh alike
        RunningSoftmax.Average(c, a, o);
        Assert.Equal([2f, 3f], o);
        RunningSoftmax.Add(ref m, ref c, a, -1e30f, [10f, 20f]);                 // any finite score outweighs −∞
        RunningSoftmax.Average(c, a, o);
        Assert.Equal([10f, 20f], o);
        Assert.DoesNotContain(o, float.IsNaN);
    }
}
