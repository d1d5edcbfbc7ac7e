#!/usr/bin/env bash
# The monitoring daemon at load: N streams (default 256) replaying the held-out laser units at R readings per second
# each (default 100) for S seconds (default 1800: the soak), against a local mosquitto on a free port. Prints, every
# 30 s and at the end, the step latency p50/p99 from the daemon's histogram, readings stepped, dropped readings,
# CPU use of the daemon process, RSS and GC counts. Needs mosquitto and a built edge (dotnet build src/Edge.Cli -c Release).
# Usage: bench/monitor-streams.sh [STREAMS] [RATE_HZ] [SECONDS] [REPORT_EVERY_S]
set -euo pipefail
cd "$(dirname "$0")/.."
streams="${1:-256}" rate="${2:-100}" seconds="${3:-1800}" every="${4:-30}"
edge="src/Edge.Cli/bin/Release/net10.0/edge.dll"
[ -f "$edge" ] || { echo "build first: dotnet build src/Edge.Cli -c Release" >&2; exit 2; }
broker=""; daemon=""; work="$(mktemp -d)"; trap 'kill $daemon $broker 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mport="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/m.conf"
mosquitto -c "$work/m.conf" >/dev/null 2>&1 & broker=$!
units=($(ls "$PWD"/models/laser-aging/data/test/*.csv))
python3 - "$work" "$port" "$mport" "$streams" "$rate" "$PWD/models" "${units[@]}" <<'PY'
import json, sys
work, port, mport, n, rate, models, *units = sys.argv[1:]
streams = [{"name": f"s{i:03d}", "source": {"kind": "csv", "path": units[i % len(units)], "rate_hz": float(rate)}} for i in range(int(n))]
json.dump({"device": "bench", "models": models, "state_dir": f"{work}/state", "checkpoint_interval_s": 30,
           "metrics": {"port": int(mport)}, "broker": {"host": "127.0.0.1", "port": int(port)}, "streams": streams}, open(f"{work}/c.json", "w"))
PY
dotnet "$edge" monitor --config "$work/c.json" > "$work/log.txt" 2>&1 & daemon=$!
sleep 3
report() {
  curl -s "127.0.0.1:$mport/metrics" > "$work/m.txt" || return 0
  python3 - "$work/m.txt" "$daemon" "$1" <<'PY'
import re, sys, os
text = open(sys.argv[1]).read(); pid = sys.argv[2]; label = sys.argv[3]
def val(name): return sum(float(m) for m in re.findall(rf'^{re.escape(name)}(?:{{[^}}]*}})? (\S+)$', text, re.M))
buckets = [(float(le), float(v)) for le, v in re.findall(r'^edge_monitor_step_seconds_bucket{le="([^"]+)"} (\S+)$', text.replace('+Inf', 'inf'), re.M)]
total = val('edge_monitor_step_seconds_count')
def q(p):
    for le, c in buckets:
        if c >= p * total: return le
stat = open(f'/proc/{pid}/stat').read().split(); ticks = os.sysconf('SC_CLK_TCK')
cpu = (int(stat[13]) + int(stat[14])) / ticks
up = float(open('/proc/uptime').read().split()[0]) - int(stat[21]) / ticks
rss = int(open(f'/proc/{pid}/status').read().split('VmRSS:')[1].split()[0]) / 1024
gc = re.findall(r'^dotnet_collection_count_total{generation="(\d)"} (\S+)$', text, re.M)
print(f'{label}: steps {int(total)}, p50 <= {q(0.5)*1e6:.0f} us, p99 <= {q(0.99)*1e6:.0f} us, dropped {int(val("edge_monitor_samples_dropped_total"))}, '
      f'cpu {100*cpu/up:.0f} % of one core, rss {rss:.0f} MiB, gc ' + ' '.join(f'gen{g}={int(float(c))}' for g, c in gc))
PY
}
report "start"
for ((t = every; t <= seconds; t += every)); do sleep "$every"; report "t=${t}s"; done
