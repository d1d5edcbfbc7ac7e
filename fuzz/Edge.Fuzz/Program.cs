using Edge.Fuzz;

// edge-fuzz: the harnesses' entry point. fuzz/fuzz.sh runs `afl TARGET` under afl-fuzz on an instrumented copy;
// `replay` runs files through a target and says what each did (triage of a crash, or the corpus by hand).
const string Usage = """
    usage: edge-fuzz list
           edge-fuzz seed TARGET FOLDER      write the target's seed inputs into FOLDER
           edge-fuzz afl TARGET              run under afl-fuzz (input on standard input)
           edge-fuzz replay TARGET PATH...   run files (or every file in folders) and report each
    """;

if (args.Length == 0)
{
    Console.Error.Write(Usage);
    return 2;
}
if (args[0] == "list")
{
    foreach (var t in FuzzTargets.All) Console.WriteLine($"{t.Name,-16} {t.Parses}");
    return 0;
}
if (args.Length < 2 || FuzzTargets.Find(args[1]) is not { } target)
{
    Console.Error.WriteLine(args.Length < 2 ? Usage : $"edge-fuzz: unknown target '{args[1]}'; `edge-fuzz list` names them.");
    return 2;
}

using var fixtures = new FuzzFixtures();
switch (args[0])
{
    case "seed" when args.Length == 3:
        Directory.CreateDirectory(args[2]);
        foreach (var seed in target.Seeds(fixtures))
        {
            var outcome = FuzzRule.Apply(target, seed.Bytes, fixtures);
            if (outcome.Verdict != FuzzVerdict.Valid)
            {
                Console.Error.WriteLine($"edge-fuzz: seed '{seed.Name}' of {target.Name} is not valid: {outcome.Detail}");
                return 1;
            }
            File.WriteAllBytes(Path.Combine(args[2], $"seed-{seed.Name}"), seed.Bytes);
            Console.WriteLine($"{target.Name}/seed-{seed.Name}: {seed.Bytes.Length} bytes");
        }
        return 0;
    case "afl":
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var outcome = FuzzRule.Apply(target, buffer.ToArray(), fixtures);
            if (outcome.IsViolation) throw new FuzzViolationException(outcome);
        });
        return 0;
    case "replay":
        int violations = 0, files = 0;
        foreach (string path in args.Skip(2).SelectMany<string, string>(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal) : [p]))
        {
            var outcome = FuzzRule.Apply(target, File.ReadAllBytes(path), fixtures);
            files++;
            if (outcome.IsViolation) violations++;
            Console.WriteLine($"{Path.GetFileName(path)}: {outcome.Detail} ({outcome.AllocatedBytes / 1024} KiB allocated)");
            if (outcome.Exception is not null) Console.WriteLine(outcome.Exception);
        }
        Console.WriteLine($"{target.Name}: {files} files, {violations} violations");
        return violations == 0 ? 0 : 1;
    default:
        Console.Error.Write(Usage);
        return 2;
}
