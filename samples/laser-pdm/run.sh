#!/usr/bin/env sh
# Replays the 12 held-out aging runs of models/laser-aging through the pipeline. Run from anywhere.
set -e
root="$(cd "$(dirname "$0")/../.." && pwd)"
exec dotnet run --project "$root/samples/laser-pdm" -c Release -- "$root/models" "$root"/models/laser-aging/data/test/unit_*.csv "$@"
