#!/usr/bin/env bash
# The soak: 256 looping replay streams at 100 readings/s for MINUTES (default 30), reported every minute, ending with
# RSS at the first report and at the end and the GC counts (see monitor-streams.sh). Runs niced: it is a long job on
# a machine others may share.
# Usage: bench/monitor-soak.sh [MINUTES] [STREAMS] [RATE_HZ]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}" streams="${2:-256}" rate="${3:-100}"
exec nice -n 10 bench/monitor-streams.sh "$streams" "$rate" "$((minutes * 60))" 60
