#!/usr/bin/env bash
# Coverage-guided fuzzing of Edge's parsers of untrusted input with AFL++ and SharpFuzz.
#
#   fuzz/fuzz.sh TARGET [MINUTES]     fuzz one target (edge-fuzz list names them), 30 minutes by default
#   fuzz/fuzz.sh all [MINUTES]        every target in turn, MINUTES each
#
# Installs afl++ (Debian) and the SharpFuzz instrumenter (a .NET tool, into fuzz/out/tools) when missing,
# publishes fuzz/Edge.Fuzz into fuzz/out/bin, instruments the Edge assemblies there (never the build in the
# tree), and runs afl-fuzz on fuzz/corpus/TARGET. Afterwards the inputs that reached new coverage are added to
# the corpus (minimised with afl-cmin), crashes are replayed and reported, and one summary line per target
# says executions, coverage and findings. Output and findings stay under fuzz/out (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/fuzz.sh TARGET|all [MINUTES]}
minutes=${2:-30}
out=fuzz/out
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v afl-fuzz >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "fuzz: afl-fuzz is missing; apt-get install -y afl++ (as root)" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
if [ ! -x "$out/tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$out/tools" >/dev/null
fi

echo "fuzz: publishing fuzz/Edge.Fuzz"
rm -rf "$out/bin"
dotnet publish fuzz/Edge.Fuzz -c Release -o "$out/bin" -v quiet -nologo >/dev/null
for dll in "$out"/bin/Edge.*.dll; do
  "$out/tools/sharpfuzz" "$dll" >/dev/null
done
app=("$(readlink -f "$(command -v dotnet)")" "$out/bin/edge-fuzz.dll")

# AFL++ checks that the program is AFL-instrumented native code and that crashes go to a file; neither fits
# a .NET program that SharpFuzz instrumented, so both checks are turned off. The repository is found through
# EDGE_REPO because the published program lives outside the tree's bin folders.
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 EDGE_REPO="$PWD"

fuzz_one() {
  local t=$1 findings="$out/findings/$1"
  mkdir -p "fuzz/corpus/$t"
  if [ -z "$(ls -A "fuzz/corpus/$t")" ]; then "${app[@]}" seed "$t" "fuzz/corpus/$t" >/dev/null; fi
  rm -rf "$findings"; mkdir -p "$out/findings"
  echo "fuzz: $t for $minutes min"
  # -t: a 10 s limit per input (a .NET start is not part of it: SharpFuzz keeps one process per run);
  # -m none: the allocation cap is the harness's (FuzzRule.AllocationCapBytes), not AFL's address-space limit.
  timeout $((minutes * 60 + 120)) afl-fuzz -i "fuzz/corpus/$t" -o "$findings" -t 10000 -m none -V $((minutes * 60)) \
    -- "${app[@]}" afl "$t" >"$out/afl-$t.log" 2>&1 || true
  local stats="$findings/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then echo "fuzz: $t: afl-fuzz did not start; see $out/afl-$t.log" >&2; tail -20 "$out/afl-$t.log" >&2; return 1; fi
  # New coverage joins the corpus, minimised: afl-cmin keeps the smallest inputs that cover every tuple.
  local before
  before=$(find "fuzz/corpus/$t" -type f | wc -l)
  rm -rf "$out/cmin-$t"
  rm -rf "$out/merge-$t" && mkdir -p "$out/merge-$t"
  cp "fuzz/corpus/$t"/* "$out/merge-$t/"
  find "$findings/default/queue" -maxdepth 1 -type f -name 'id:*' ! -name '*orig:*' -exec cp {} "$out/merge-$t/" \;
  if afl-cmin -i "$out/merge-$t" -o "$out/cmin-$t" -t 10000 -m none -- "${app[@]}" afl "$t" >"$out/cmin-$t.log" 2>&1; then
    # The seeds always stay (valid objects the replay test checks); the rest are renamed cov-NNNN.
    find "fuzz/corpus/$t" -type f ! -name 'seed-*' -delete
    local i=0
    for f in "$out/cmin-$t"/*; do
      case "$(basename "$f")" in
        seed-*) ;;
        *) i=$((i + 1)); cp "$f" "fuzz/corpus/$t/$(printf 'cov-%04d' "$i")" ;;
      esac
    done
  else
    echo "fuzz: $t: afl-cmin failed (see $out/cmin-$t.log); the corpus is left as it was" >&2
  fi
  rm -rf "$out/merge-$t"
  local crashes hangs
  crashes=$(find "$findings/default/crashes" -type f -name 'id:*' | wc -l)
  hangs=$(find "$findings/default/hangs" -type f -name 'id:*' | wc -l)
  if [ "$crashes" -gt 0 ]; then
    # A crash joins the corpus under its hash, so the replay test fails until the parser is fixed, and then
    # guards the fix for good.
    echo "fuzz: $t: $crashes crashing inputs, added to fuzz/corpus/$t as crash-*; replaying them:"
    for f in "$findings/default/crashes"/id:*; do
      cp "$f" "fuzz/corpus/$t/crash-$(sha256sum "$f" | cut -c1-12)"
    done
    # Replayed by the uninstrumented build: under SharpFuzz's instrumentation a plain managed exception can surface
    # as an AccessViolationException (seen with the mqtt-payload finding), which hides what the parser threw.
    dotnet run --project fuzz/Edge.Fuzz -c Release -v quiet -- replay "$t" "$findings/default/crashes"/id:* 2>&1 \
      | grep -v '^   at ' | head -40 || true
  fi
  afl_stat() { awk -F' *: *' -v k="$1" '$1==k{print $2}' "$stats"; }
  printf 'fuzz: %-15s %s min  execs %s (%s/s)  edges %s (map %s)  queue %s  corpus %s -> %s  crashes %s  hangs %s\n' "$t" "$minutes" \
    "$(afl_stat execs_done)" "$(afl_stat execs_per_sec)" "$(afl_stat edges_found)" "$(afl_stat bitmap_cvg)" "$(afl_stat corpus_count)" \
    "$before" "$(find "fuzz/corpus/$t" -type f | wc -l)" "$crashes" "$hangs" | tee -a "$out/summary.txt"
}

if [ "$target" = all ]; then
  for t in $("${app[@]}" list | awk '{print $1}'); do fuzz_one "$t"; done
else
  fuzz_one "$target"
fi
