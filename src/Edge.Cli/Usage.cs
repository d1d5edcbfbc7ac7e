using Edge.Cli.Arguments;

namespace Edge.Cli;

/// <summary>The help text (the command line is a contract: docs/cli.md documents it).</summary>
internal static class Usage
{
    /// <summary>The command names, comma separated (<see cref="CommandTable"/>'s order).</summary>
    public static string Commands => CommandTable.Names;

    public const string Text = """
        edge: run recurrent models token by token with a fixed-size state.

        edge info [--json]
            Processor, cores, SIMD, backends, the families each runs, and the ONNX Runtime
            execution providers this build offers.
        edge run PKG --input IN.npy --output OUT.npy [--state-in F] [--state-out F]
                 [--backend cpu|onnx] [--ep cpu|cuda|dml] [--profile F] [--precision fp32|fp16|int8|q4] [--threads N]
            Steps the model over IN ([T,F] float32) and writes OUT ([T,O] float32).
            --state-in starts from a saved state; --state-out saves the final one.
            --backend onnx runs the package's ONNX graph; --ep picks the execution provider;
            --profile reads device-profiles/*.json: which backend first, ONNX providers, fallback and threads,
            the CPU backend's precision, threads and batch limit (per family too); --backend, --precision
            and --threads given on the line win. bench, forecast, pdm, tts and clone take it too.
            --precision keeps the CPU backend's weight matrices at fp32, fp16, int8 or q4 in memory
            (default: as the package stores them); bench, forecast, pdm and tts take it too.
            --threads N (1 … 256) splits a step's large matrix products across N threads, same outputs
            bit for bit (default: 1, or one a core up to 4 when a step reads 64 MB+); bench, forecast, tts too.
            gla-tts: IN holds audio token ids [T] or [T, n_quant] (int32/int64), OUT the logits
            [T, n_quant·(n_codebook+3)]; --text "…" (required) conditions them, --voice F starts from a
            voice, --voice-out F saves the memory after the run as a voice (run it over a reference clip's codes).
        edge bench PKG [--steps N] [--warmup N] [--backend cpu|onnx] [--ep …] [--profile F]
                 [--compare | --batch B | --roofline] [--json]
            µs per step (p50, p99), steps/s, bytes allocated per step, RSS growth, state bytes.
            --compare runs the cpu and onnx backends one after the other and prints onnx/cpu.
            --batch B steps B streams together (one StreamBatch) against one stream alone: µs per batch
            step and per stream, and the ratio to batch 1.
            --roofline adds weight and state bytes and FLOPs per step, this machine's measured bandwidth
            and peak FLOP rate (one core, all cores) and the fraction of each the step reached.
        edge bench PKG --vs-transformer [--lengths 1000,10000,100000] [--window N] [--warmup S] [--plot OUT.png] [--json]
            An aaren model against a causal Transformer of the same sizes with a growing KV cache:
            µs per step (median and mean over the N=1000 steps before each length) and state/cache
            bytes at each length; each model warms up for S=3 seconds first (the JIT needs it).
        edge forecast PKG --csv FILE [--column C] [--horizon N] [--holdout N] [--start-row N]
                      [--missing interpolate|error] [--time-column C] [--plot OUT.png]
                      [--backend cpu|onnx] [--ep …] [--profile F] [--precision P] [--threads N] [--json]
            Streams all CSV rows but the last N (--holdout, default the horizon) through the model one step
            ahead, forecasts N steps by feeding each prediction back, prints it with the MAE against the
            held-out rows, and with --plot draws history, forecast and truth. model.json's "forecast" object
            says how rows become inputs (value, lags, calendar sin/cos); empty cells are interpolated by default.
            --start-row streams from that data row on (fresh state); earlier rows only feed lag inputs.
        edge bench --gla-release [--steps N] [--warmup N] [--precision fp32|fp16|int8|q4] [--threads N] [--profile F] [--batch B] [--roofline] [--json]
            gla-tts at release size (d 1024, 6+6 GLA blocks, 4096 codes, random weights made in memory):
            decoder tokens/s, real-time factor at 75 tokens/s, measured memory bandwidth and the roofline;
            on N > 1 threads also the same steps on 1 thread, interleaved, and the ratio; --roofline
            as for a package (bytes, FLOPs, bandwidth, peak FLOP rate, fractions).
        edge bench PKG --soak [--steps N] [--json]
            One stream for N steps (10 million) over adversarial inputs: random, constant, ±1e6, ±1000 in
            turn, denormal, zeros. Every output and state value must stay finite; prints the largest |value|
            of each state entry per phase, RSS and GC counts. Exit 1 when anything went non-finite.

        edge pdm --csv RUN.csv [--models DIR] [--json] [--plot OUT.png] [--state-in F] [--state-out F]
                 [--precision P] [--threads N] [--profile F]
            Replays a laser aging run (bias_ma, monitor_ua, case_temp_c, time_h) through the predictive-
            maintenance pipeline: predictor every reading, detector, RUL from the first alert. Prints each
            alert with its time, score and RUL estimate, rejected readings and end of life; --json prints
            JSON lines; --plot draws signal, score with threshold, and RUL; --state-in/--state-out carry the
            whole pipeline's state in one file. --models: a folder with laser-predictor, -detector, -rul.

        edge tts "TEXT" -o OUT.wav [--model PKG] [--voice F] [--seed N] [--top-k N] [--temperature T]
                 [--rate HZ] [--play] [--json] [--precision P] [--threads N] [--profile F]
        edge tts --text-file F -o OUT.wav …      COMMAND | edge tts - -o OUT.wav …
            Speaks the text with a voice package (the embedded default without --model), streaming the
            audio into the WAV (16-bit mono; --rate resamples) and, with --play, to aplay as it is made.
            Text is lower-cased and split into sentences; spell out digits (twelve, not 12). --json prints
            load_ms, time_to_first_audio_ms, real_time_factor, tokens, audio_seconds, alloc_bytes_per_token.
        edge clone REF.wav -o VOICE.safetensors [--text "transcript"] [--model PKG] [--max-seconds S] [--json]
                   [--precision P] [--threads N] [--profile F]
            Makes a voice from a reference clip (WAV, any rate, mono or stereo) without training: the
            decoder reads the clip's codes with its transcript and its memory is saved (fixed size, bound
            to the model); speak with it by edge tts --voice VOICE.safetensors.

        edge quantize PKG --precision fp16|int8|q4 -o PKG2 [--json]
            Writes a copy of a package folder whose weights file stores its matrices reduced (int8: one
            scale a row; q4: 4 bits, one scale per row and 32 columns); step.onnx and golden runs are left out.

        edge import MODEL.onnx -o PKG [--const NAME=VALUE[,…]] [--input-shape D,D,…] [--state IN=OUT[,…]]
                    [--input NAME] [--step-output NAME] [--name NAME] [--json]
            Makes a stateful ONNX graph a package (family onnx-stateful) with no hand-written JSON: pairs
            state inputs with outputs by name (h/hn, h0/hn, state/stateN, *_in/*_out, past_*/present_*) and
            shape, feeds scalar inputs the --const values, fixes open dimensions with --input-shape, and
            runs one trial step before the folder is written. Run it with --backend onnx.
        edge inspect PKG [--json]
            A package's family, step input and output sizes, state layout and bytes, weights (tensors,
            parameters, stored precision), files, identity (sha256) and provenance.

        edge profile detect -o mine.json [--name NAME] [--quick]
            Measures this machine (instruction sets, read bandwidth and peak FLOP rate on one core and on
            all, each embedded family on the CPU backend at fp32, fp16, int8 and q4, on 1 thread and on one
            a core, and on ONNX Runtime; under a minute, --quick a few seconds) and writes a device profile
            that runs each family with its fastest settings. Progress goes to standard error.

        edge monitor --config FILE [--check-config]
            The monitoring daemon: sensor streams through the maintenance pipeline, alerts over
            MQTT through a durable outbox, checkpoints, metrics on 127.0.0.1 (systemd Type=notify).
        edge demo
            The embedded default models end to end: golden checks, state files, forecast error, speed;
            exit 1 when a check fails.
        edge completion bash|zsh|fish|pwsh
            Prints the shell's completion script: commands, each command's options, the words of a choice
            (--backend cpu|onnx, --precision …), files and folders for paths. docs/cli.md says how to install it.

        Exit codes: 0 ok, 1 a demo check failed, 2 a problem with the input (the message says what to do),
        70 internal error.

        """;

    /// <summary>
    /// The usage of one command: every entry of <see cref="Text"/> whose first line is <c>edge COMMAND …</c>,
    /// with its indented description; then, from <see cref="CommandTable"/>, its arguments and options with their
    /// defaults and examples that run as written from the repository's root; then where the full reference lives.
    /// Null for an unknown command.
    /// </summary>
    public static string? For(string command)
    {
        var picked = new System.Text.StringBuilder();
        bool inside = false;
        foreach (string line in Text.Split('\n'))
        {
            if (line.StartsWith("edge ", StringComparison.Ordinal))
            {
                string name = line[5..].Split(' ', 2)[0];
                inside = name == command;
            }
            else if (line.Length == 0 || !line.StartsWith(' '))
            {
                inside = false;
            }
            if (inside) picked.Append(line).Append('\n');
        }
        if (picked.Length == 0) return null;
        if (CommandTable.Find(command) is { } spec) picked.Append(Reference(spec));
        return picked + "\nEvery option, its default and range: docs/cli.md, section 'edge " + command + "'.\n"
            + "Exit codes: 0 ok, 2 a problem with the input (the message says what to do), 70 internal error.\n";
    }

    private const int Column = 30;

    // The table's part of a command's help: arguments, options (required, or the default) and examples.
    private static string Reference(CommandSpec spec)
    {
        var b = new System.Text.StringBuilder();
        void Row(string left, string right)
        {
            string pad = left.Length + 2 < Column ? left.PadRight(Column - 2) : left + "\n" + new string(' ', Column);
            b.Append("  ").Append(pad).Append(right).Append('\n');
        }
        if (spec.Positionals.Count > 0)
        {
            b.Append("\nArguments:\n");
            foreach (var p in spec.Positionals)
                Row(p.Kind == ValueKind.Choice ? string.Join('|', p.Choices) : p.Name, p.Required ? $"required. {p.Help}" : p.Help);
        }
        b.Append(spec.Options.Count == 0 ? "\nOptions: none.\n" : "\nOptions:\n");
        foreach (var o in spec.Options)
            Row(o.Synopsis, o.Required ? $"required. {o.Help}" : o.Default.Length > 0 ? $"{o.Help} (default: {o.Default})" : o.Help);
        b.Append(spec.Examples.Count == 1 ? "\nExample (runs as written from the repository's root):\n" : "\nExamples (each runs as written from the repository's root):\n");
        foreach (string example in spec.Examples) b.Append("  ").Append(example).Append('\n');
        return b.ToString();
    }
}
