// A sensor-monitoring loop in a few lines: stream samples through a model one at a time, flag
// samples the model did not expect, and checkpoint the stream's state so a restart resumes where it
// stopped instead of relearning the signal.
//
//   dotnet run --project samples/ecg-monitor -- models/gru-attention-ecg samples.csv [state-file]
//
// samples.csv: one value per line (millivolts), an optional header line.
using System.Globalization;
using Edge.Streams;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ecg-monitor MODEL SAMPLES.csv [STATE-FILE]");
    return 2;
}
string statePath = args.Length > 2 ? args[2] : Path.ChangeExtension(args[1], ".state");
try
{
    using var model = EdgeModel.Load(args[0]);
    using var stream = model.CreateStream();
    if (File.Exists(statePath))
    {
        stream.LoadState(statePath);
        Console.WriteLine($"resumed from {statePath} after {stream.StepCount} samples");
    }

    var x = new float[1];
    var predicted = new float[1];
    float expected = float.NaN;
    double sumErr = 0;
    long n = 0, alerts = 0;
    int line = 0;
    foreach (var text in File.ReadLines(args[1]))
    {
        line++;
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out x[0]))
        {
            if (line == 1) continue;   // header
            Console.Error.WriteLine($"{args[1]}:{line}: '{text}' is not a number; fix or remove the line.");
            return 2;
        }
        if (!float.IsNaN(expected))
        {
            double err = Math.Abs(x[0] - expected);
            sumErr += err;
            n++;
            // Flag a sample far from the prediction relative to the running mean error.
            if (n > 100 && err > 8 * sumErr / n)
            {
                alerts++;
                if (alerts <= 10) Console.WriteLine($"sample {stream.StepCount}: {x[0]:F3} mV, expected {expected:F3} mV");
            }
        }
        stream.Step(x, predicted);
        expected = predicted[0];
        if (stream.StepCount % 10_000 == 0) stream.SaveState(statePath);   // atomic checkpoint
    }
    stream.SaveState(statePath);
    Console.WriteLine($"{n} samples, mean prediction error {sumErr / Math.Max(1, n):F4} mV, {alerts} alerts; state saved to {statePath}");
    return 0;
}
catch (Edge.EdgeException e)
{
    Console.Error.WriteLine($"ecg-monitor: {e.Message}");
    return 2;
}
