#!/usr/bin/env bash
# Packs the edge tool for this machine's platform, installs it into a fresh folder from the packed files alone, runs
# `edge demo` from another fresh folder, and prints each package's size (docs/packaging.md).
#
#   bench/tool-package.sh [RID]        RID: linux-x64 (default), linux-arm64, osx-arm64 or win-x64
#
# Packing one platform takes a few minutes (the ReadyToRun compile); `dotnet pack src/Edge.Cli` makes them all.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${1:-linux-x64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet pack src/Edge.Cli -c Release -o "$work/packages" -p:ToolPackageRuntimeIdentifiers="$rid" >"$work/pack.log" 2>&1 \
  || { tail -20 "$work/pack.log"; exit 1; }
for p in "$work"/packages/*.nupkg; do
  awk -v name="$(basename "$p")" -v bytes="$(stat -c %s "$p")" 'BEGIN { printf "%-40s %6.1f MB\n", name, bytes / 1000000 }'
done

dotnet tool install --tool-path "$work/tools" --add-source "$work/packages" edge
mkdir "$work/elsewhere"
(cd "$work/elsewhere" && "$work/tools/edge" demo >"$work/demo.log" 2>&1) || { tail -30 "$work/demo.log"; exit 1; }
tail -1 "$work/demo.log"
echo "a second install says:"
dotnet tool install --tool-path "$work/tools" --add-source "$work/packages" edge
