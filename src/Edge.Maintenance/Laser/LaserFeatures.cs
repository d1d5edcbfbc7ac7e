namespace Edge.Maintenance.Laser;

/// <summary>
/// The five features every laser model reads, computed as models/laser-aging/aging.py does: ratios to references that
/// are the medians of the first <see cref="ReferenceSamples"/> readings, and a temperature correction with the
/// datasheet's characteristic temperature <see cref="T0Kelvin"/>.
/// </summary>
public static class LaserFeatures
{
    /// <summary>Features per sample: rel_bias, rel_bias_tc, rel_monitor, case_temp_c, d_temp.</summary>
    public const int Count = 5;

    /// <summary>Readings whose medians fix the references (24 h at one reading every 2 h).</summary>
    public const int ReferenceSamples = 12;

    /// <summary>The nominal characteristic temperature of the bias current, K (a datasheet figure; each unit's own differs by a few kelvin).</summary>
    public const double T0Kelvin = 80.0;

    /// <summary>The feature names in input order, as the packages' provenance lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["rel_bias", "rel_bias_tc", "rel_monitor", "case_temp_c", "d_temp"];

    /// <summary>Index of rel_bias_tc, the temperature-corrected degradation signal.</summary>
    public const int CorrectedBias = 1;

    /// <summary>Writes the five features of one reading into <paramref name="features"/>, in double precision then rounded to float32.</summary>
    public static void Compute(double bias, double monitor, double caseTemperature,
        double biasReference, double monitorReference, double temperatureReference, Span<float> features)
    {
        double ratio = bias / biasReference;
        double dTemp = caseTemperature - temperatureReference;
        features[0] = (float)(ratio - 1.0);
        features[1] = (float)(ratio * Math.Exp(-dTemp / T0Kelvin) - 1.0);
        features[2] = (float)(monitor / monitorReference - 1.0);
        features[3] = (float)caseTemperature;
        features[4] = (float)dTemp;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the two middle ones for an even count); sorts them in place.</summary>
    public static double Median(Span<double> values)
    {
        values.Sort();
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
