#!/usr/bin/env bash
# Whole-process time of a scripted `edge run`: the ECG model over 1,000 samples (its 500 golden inputs twice),
# on the CPU backend and on the ONNX backend, RUNS alternating runs each: median and range
# of wall-clock and of CPU (user + sys) seconds; the CPU time moves less when other work shares the machine.
# What a short command pays to start (runtime, JIT, package load) is most of it: docs/performance.md.
#
#   bench/edge-run-startup.sh [EDGE] [RUNS]
#
# EDGE is the command to time (default: `edge` on PATH; a build's apphost, src/Edge.Cli/bin/Release/net10.0/edge,
# works too); RUNS defaults to 10. Environment variables (DOTNET_TieredPGO=0, ...) pass through to every run.
set -euo pipefail
cd "$(dirname "$0")/.."
edge=${1:-edge}
runs=${2:-10}
model=models/gru-attention-ecg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1,000 float32 samples [1000, 1]: the golden input's data twice under a new .npy header.
python3 - "$model/golden/input.npy" "$work/ecg1000.npy" <<'EOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
n = struct.unpack('<H', b[8:10])[0]
data = b[10 + n:]
d = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, 1), }" % (2 * len(data) // 4)
h = (d + ' ' * ((64 - (11 + len(d)) % 64) % 64) + '\n').encode('latin1')
open(sys.argv[2], 'wb').write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(h)) + h + data + data)
EOF

"$edge" run "$model" --input "$work/ecg1000.npy" --output "$work/warm.npy" --backend cpu >/dev/null  # page cache
for ((i = 0; i < runs; i++)); do
  for backend in cpu onnx; do
    /usr/bin/time -f '%e %U %S' -a -o "$work/$backend.times" \
      "$edge" run "$model" --input "$work/ecg1000.npy" --output "$work/out-$backend.npy" --backend "$backend" >/dev/null
  done
done
# Median and range of sorted numbers, one per line.
median='{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.2f (%.2f-%.2f)", m, t[1], t[NR] }'
for backend in cpu onnx; do
  wall=$(awk '{ print $1 }' "$work/$backend.times" | sort -n | awk "$median")
  cpu=$(awk '{ print $2 + $3 }' "$work/$backend.times" | sort -n | awk "$median")
  echo "$backend: wall median $wall s, cpu (user+sys) median $cpu s ($runs runs)"
done
