#!/usr/bin/env bash
# GPU check of the ONNX backend, for an x64 Linux machine with an NVIDIA GPU and the CUDA 13 and cuDNN 9
# libraries (what ONNX Runtime 1.31's GPU package links against). The first build downloads that package
# (about 540 MB unpacked) from NuGet.
# Builds edge with the CUDA ONNX Runtime package (-p:EdgeOnnxRuntime=cuda), runs the ONNX parity and
# state tests on the CUDA execution provider, then `edge bench --compare --ep cuda` on the ECG,
# gru-bench and lina-reference (gla-tts) models, and prints the results. Takes under 5 minutes; CI never needs it.
#
#   bench/gpu-check.sh                    # the check
#   STEPS=5000 bench/gpu-check.sh         # fewer bench steps
#   EDGE_ORT=cpu EP=cpu bench/gpu-check.sh  # dry run of this script on a machine without a GPU
set -euo pipefail
cd "$(dirname "$0")/.."

flavour=${EDGE_ORT:-cuda}      # EdgeOnnxRuntime: which ONNX Runtime package to build with
ep=${EP:-cuda}                 # execution provider for the tests and the bench
steps=${STEPS:-20000}
art=artifacts/gpu-check-$flavour   # its own build tree, so the default (cpu) build is left alone
started=$SECONDS

echo "== machine"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
else
  echo "nvidia-smi not found (no NVIDIA driver?)"
fi
dotnet --version

echo "== build (EdgeOnnxRuntime=$flavour)"
dotnet build src/Edge.Cli -c Release -p:EdgeOnnxRuntime="$flavour" --artifacts-path "$art" -v quiet -nologo
dotnet build tests/Edge.Onnx.Tests -c Release -p:EdgeOnnxRuntime="$flavour" --artifacts-path "$art" -v quiet -nologo
edge=(dotnet "$art/bin/Edge.Cli/release/edge.dll")
"${edge[@]}" info | grep -E '^(onnx|backend)'

echo "== parity and state tests on --ep $ep"
EDGE_TEST_EP="$ep" dotnet test tests/Edge.Onnx.Tests -c Release -p:EdgeOnnxRuntime="$flavour" --artifacts-path "$art" \
  --no-build -nologo --filter "Category=Parity|FullyQualifiedName~StateTests|FullyQualifiedName~OnnxStatefulTests"

echo "== bench --compare --ep $ep ($steps steps)"
for model in models/gru-attention-ecg models/gru-bench models/lina-reference; do
  if [ -f "$model/model.json" ]; then
    "${edge[@]}" bench "$model" --compare --ep "$ep" --steps "$steps"
    echo
  else
    echo "$model: not in this checkout, skipped"
  fi
done
echo "== done in $((SECONDS - started)) s"
