#!/usr/bin/env bash
# The monitoring daemon's pipeline step without the daemon: P maintenance pipelines (default 128, one worker's share of
# 256 streams on two) over the held-out laser units, looped with time running on, stepped R rounds (default 3000) one
# pipeline after another (MaintenancePipeline.Step, as before batching) and together (MaintenancePipelineBatch.Step, one
# StreamBatch per model), alternately, 3 times each, on one thread. Prints the CPU time (the process's, which is this
# thread's: nothing is allocated) and the wall time per reading of each run, and checks that both ways gave the same
# answers bit for bit. Builds a scratch console project against src/Edge.Maintenance (Release) in a temporary folder.
# Usage: bench/monitor-batch.sh [PIPELINES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
pipelines="${1:-128}" rounds="${2:-3000}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cat > "$work/MonitorBatch.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><TreatWarningsAsErrors>false</TreatWarningsAsErrors></PropertyGroup>
  <ItemGroup><ProjectReference Include="$PWD/src/Edge.Maintenance/Edge.Maintenance.csproj" /></ItemGroup>
</Project>
XML
cat > "$work/Program.cs" <<'CS'
using System.Diagnostics;
using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;

string root = args[0];
int n = int.Parse(args[1]), rounds = int.Parse(args[2]);
using var models = MaintenanceModels.LoadFolder(Path.Combine(root, "models"));
var units = Directory.GetFiles(Path.Combine(root, "models", "laser-aging", "data", "test"), "*.csv").OrderBy(f => f, StringComparer.Ordinal).Select(f =>
{
    using var source = LaserRunCsv.Open(f);
    var frames = new LaserFrameReader(source);
    var list = new List<LaserReading>();
    while (frames.TryRead(out var r)) list.Add(r);
    return list.ToArray();
}).ToArray();
// Pipeline p replays unit p mod 12 from an offset of 37p readings, so that the rows are at every stage of a run.
LaserReading Reading(int p, long k)
{
    var run = units[p % units.Length];
    long i = k + 37L * p;
    return run[i % run.Length] with { Time = DateTimeOffset.UnixEpoch.AddHours(2.0 * i) };
}
void ResetAtWrap(MaintenancePipeline pipeline, int p, long k)
{
    var run = units[p % units.Length];
    if ((k + 37L * p) % run.Length == 0) pipeline.Reset();
}
ulong Hash(ulong h, in MaintenanceStep s)
{
    h = (h ^ (ulong)BitConverter.SingleToInt32Bits(s.Score)) * 1099511628211UL;
    h = (h ^ (ulong)(s.RulHours is { } r ? BitConverter.SingleToInt32Bits(r) : -1)) * 1099511628211UL;
    h = (h ^ (ulong)(s.PredictedNext is { } q ? BitConverter.SingleToInt32Bits(q) : -1)) * 1099511628211UL;
    return (h ^ (ulong)s.Kind) * 1099511628211UL;
}
(double Cpu, double Wall, ulong Hash) Run(bool together)
{
    var pipelines = Enumerable.Range(0, n).Select(_ => new MaintenancePipeline(models)).ToArray();
    using var batch = new MaintenancePipelineBatch(models, n);
    var readings = new LaserReading[n];
    var results = new MaintenanceStep[n];
    var faults = new Edge.EdgeException?[n];
    ulong h = 14695981039346656037UL;
    // Each pipeline first steps alone to its offset's stage (not timed), then `rounds` timed rounds.
    for (long k = 0; k < 400; k++)
        for (int p = 0; p < n; p++) { ResetAtWrap(pipelines[p], p, k); pipelines[p].Step(Reading(p, k)); }
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    long t0 = Stopwatch.GetTimestamp();
    for (long k = 400; k < 400 + rounds; k++)
    {
        for (int p = 0; p < n; p++) { ResetAtWrap(pipelines[p], p, k); readings[p] = Reading(p, k); }
        if (together) batch.Step(pipelines, readings, results, faults);
        else for (int p = 0; p < n; p++) results[p] = pipelines[p].Step(readings[p]);
        for (int p = 0; p < n; p++) h = Hash(h, results[p]);
    }
    double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
    double used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    foreach (var p in pipelines) p.Dispose();
    return (used, wall, h);
}
Run(false); Run(true);   // the JIT's first passes
using (var probe = new MaintenancePipelineBatch(models, 2)) Console.WriteLine($"{n} pipelines, {rounds} rounds; batched models: {probe.BatchedModels}");
var seen = new List<(bool, double, double)>();
ulong? expected = null;
for (int i = 0; i < 3; i++)
{
    foreach (bool together in new[] { false, true })
    {
        var (cpu, wall, h) = Run(together);
        expected ??= h;
        if (h != expected) { Console.WriteLine("the batched answers differ from the pipelines' alone"); return 1; }
        double readingsStepped = (double)n * rounds;
        Console.WriteLine($"{(together ? "together" : "alone   ")}: {cpu * 1e6 / readingsStepped:F2} us CPU per reading, {wall * 1e6 / readingsStepped:F2} us wall");
        seen.Add((together, cpu * 1e6 / readingsStepped, wall * 1e6 / readingsStepped));
    }
}
double Median(IEnumerable<double> v) { var a = v.OrderBy(x => x).ToArray(); return a[a.Length / 2]; }
double alone = Median(seen.Where(s => !s.Item1).Select(s => s.Item2)), together2 = Median(seen.Where(s => s.Item1).Select(s => s.Item2));
Console.WriteLine($"median CPU per reading: alone {alone:F2} us, together {together2:F2} us ({together2 / alone:F3}x); answers identical");
return 0;
CS
nice -n 10 dotnet build "$work/MonitorBatch.csproj" -c Release -o "$work/out" -v quiet -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
nice -n 10 dotnet "$work/out/MonitorBatch.dll" "$PWD" "$pipelines" "$rounds"
