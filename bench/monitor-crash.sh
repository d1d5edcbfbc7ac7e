#!/usr/bin/env bash
# The monitoring daemon's crash test in full: `edge monitor` SIGKILLed at 20 random moments while replaying two held-out
# laser units, restarted each time; checks every checkpoint loads and the alert ids equal an uninterrupted run's.
# CI runs the same test with 3 kills. Needs mosquitto (apt-get install -y mosquitto). Usage: bench/monitor-crash.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
EDGE_MONITOR_CRASH_KILLS="${1:-20}" dotnet test tests/Edge.Monitor.Tests -c Release \
  --filter "FullyQualifiedName~CrashTests" --logger "console;verbosity=detailed"
