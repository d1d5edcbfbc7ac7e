#!/usr/bin/env sh
# Re-measures the voice-cloning table of README.md ("Voice cloning") with the package as it is now: runs the
# test that judges the default, prompt and tuned voices against espeak-ng en-us-nyc, and writes its table into
# README.md between the voice-table markers. Re-run tune_voice.py first after every export of the model (the tuned
# voice is bound to the model's sha256). Needs espeak-ng, sox, pocketsphinx, pocketsphinx-en-us.
set -e
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$here/out"
table="$here/out/voice-table.md"
rm -f "$table"
status=0
EDGE_VOICE_QUALITY=1 EDGE_VOICE_TABLE="$table" dotnet test "$root/tests/Edge.Speech.Tests" --filter "FullyQualifiedName~VoiceCloningQualityTests" || status=$?
if [ ! -s "$table" ]; then
  echo "voice_table: the test wrote no table (exit $status); see its output above" >&2
  exit 1
fi
/usr/bin/python3 - "$here/README.md" "$table" <<'PY'
import sys
readme, table = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
start, end = "<!-- voice-table -->\n", "<!-- /voice-table -->"
a, b = text.index(start) + len(start), text.index(end)
open(readme, "w").write(text[:a] + table + text[b:])
PY
cat "$table"
echo "voice_table: README.md updated (the test exited $status: 0 when both cloned voices are closer than the default)"
exit "$status"
