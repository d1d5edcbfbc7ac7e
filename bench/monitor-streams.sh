#!/usr/bin/env bash
# The monitoring daemon at load: N streams (default 256) replaying the held-out laser units at R readings per second
# each (default 100), looping, for S seconds (default 1800: the soak), against a local mosquitto on a free port, with
# W scheduler workers (default 0 = one per core). Prints every E seconds, for that interval: readings stepped, the step
# time p50/p99 and the delay from each reading's due time to the end of its step p50/p99 (upper bounds of the daemon's
# histogram buckets), dropped readings (stepped more than one period late), alerts queued and acknowledged, outbox
# backlog, the daemon's CPU (100 % = one core) and its CPU time per reading stepped (all threads, and the scheduler's
# workers alone, from /proc/PID/task/*/schedstat), the streams per batch step, RSS and GC counts; at the end the totals
# and RSS/GC start to end.
# Needs mosquitto and a built edge (dotnet build src/Edge.Cli -c Release). Optional environment: REPEAT_EVERY and
# CLEAR_AFTER (the config's alerts.*; REPEAT_EVERY=1 CLEAR_AFTER=1 is an alert on every flagged reading, as before
# coalescing), IN_FLIGHT (broker.in_flight), MEMORY_ALERTS (outbox.memory_alerts).
# Usage: bench/monitor-streams.sh [STREAMS] [RATE_HZ] [SECONDS] [REPORT_EVERY_S] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/.."
streams="${1:-256}" rate="${2:-100}" seconds="${3:-1800}" every="${4:-30}" workers="${5:-0}"
edge="src/Edge.Cli/bin/Release/net10.0/edge.dll"
[ -f "$edge" ] || { echo "build first: dotnet build src/Edge.Cli -c Release" >&2; exit 2; }
broker=""; daemon=""; work="$(mktemp -d)"; trap 'kill $daemon $broker 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mport="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/m.conf"
mosquitto -c "$work/m.conf" >/dev/null 2>&1 & broker=$!
units=($(ls "$PWD"/models/laser-aging/data/test/*.csv))
python3 - "$work" "$port" "$mport" "$streams" "$rate" "$workers" "$PWD/models" "${units[@]}" <<'PY'
import json, os, sys
work, port, mport, n, rate, workers, models, *units = sys.argv[1:]
def env(name): return {name.lower(): int(os.environ[name])} if os.environ.get(name) else {}
streams = [{"name": f"s{i:03d}", "source": {"kind": "csv", "path": units[i % len(units)], "rate_hz": float(rate), "loop": True}} for i in range(int(n))]
json.dump({"device": "bench", "models": models, "state_dir": f"{work}/state", "checkpoint_interval_s": 30, "workers": int(workers),
           "alerts": {**env("REPEAT_EVERY"), **env("CLEAR_AFTER")}, "outbox": env("MEMORY_ALERTS"),
           "metrics": {"port": int(mport)}, "broker": {"host": "127.0.0.1", "port": int(port), **env("IN_FLIGHT")}, "streams": streams}, open(f"{work}/c.json", "w"))
PY
dotnet "$edge" monitor --config "$work/c.json" > "$work/log.txt" 2>&1 & daemon=$!
for _ in $(seq 100); do curl -sf "127.0.0.1:$mport/metrics" > /dev/null && break; sleep 0.2; done
report() {
  curl -s "127.0.0.1:$mport/metrics" > "$work/m.txt" || return 0
  python3 - "$work" "$daemon" "$1" <<'PY'
import re, sys, os, json
work, pid, label = sys.argv[1:]
text = open(f'{work}/m.txt').read()
def val(name): return sum(float(m) for m in re.findall(rf'^{re.escape(name)}(?:{{[^}}]*}})? (\S+)$', text, re.M))
def buckets(name): return [(float(le), float(v)) for le, v in re.findall(rf'^{name}_bucket{{le="([^"]+)"}} (\S+)$', text.replace('+Inf', 'inf'), re.M)]
stat = open(f'/proc/{pid}/stat').read().split(); ticks = os.sysconf('SC_CLK_TCK')
now = {'t': float(open('/proc/uptime').read().split()[0]), 'cpu': (int(stat[13]) + int(stat[14])) / ticks,
       'rss': int(open(f'/proc/{pid}/status').read().split('VmRSS:')[1].split()[0]) / 1024,
       'gc': {g: int(float(c)) for g, c in re.findall(r'^dotnet_collection_count_total{generation="(\d)"} (\S+)$', text, re.M)},
       'steps': buckets('edge_monitor_step_seconds'), 'delay': buckets('edge_monitor_step_delay_seconds'),
       'n': val('edge_monitor_step_seconds_count'), 'dropped': val('edge_monitor_samples_dropped_total'),
       'queued': val('edge_monitor_alerts_queued_total'), 'sent': val('edge_monitor_alerts_sent_total'),
       'pending': val('edge_monitor_outbox_pending'), 'memory': val('edge_monitor_outbox_in_memory'), 'failed': val('edge_monitor_streams{state="failed"}'),
       'batch_n': val('edge_monitor_batch_streams_count'), 'batch_sum': val('edge_monitor_batch_streams_sum'), 'wcpu': 0.0}
# The scheduler's workers' own CPU time (Linux names a thread by its first 15 characters), from their schedstat.
for tid in os.listdir(f'/proc/{pid}/task'):
    try:
        if open(f'/proc/{pid}/task/{tid}/comm').read().startswith('edge-monitor wo'):
            now['wcpu'] += int(open(f'/proc/{pid}/task/{tid}/schedstat').read().split()[0]) / 1e9
    except OSError:
        pass
path = f'{work}/last.json'
first_path = f'{work}/first.json'
last = json.load(open(path)) if os.path.exists(path) else None
if last is None:
    start = float(stat[21]) / ticks
    last = {'t': start, 'cpu': 0, 'steps': [(le, 0) for le, _ in now['steps']], 'delay': [(le, 0) for le, _ in now['delay']], 'n': 0, 'dropped': 0, 'queued': 0, 'sent': 0,
            'batch_n': 0, 'batch_sum': 0, 'wcpu': 0.0}
    json.dump(now, open(first_path, 'w'))
def q(cur, old, p):
    d = [(le, c - o) for (le, c), (_, o) in zip(cur, old)]
    total = d[-1][1] if d else 0
    for le, c in d:
        if total > 0 and c >= p * total: return f'{le * 1e6:.0f} us' if le < 1e-2 else f'{le * 1e3:.0f} ms'
    return '-'
dt = now['t'] - last['t']
def per(seconds): return f"{seconds * 1e6 / (now['n'] - last['n']):.1f} us" if now['n'] > last['n'] else '-'
print(f"{label}: {int(now['n'] - last['n'])} steps ({(now['n'] - last['n']) / dt:.0f}/s), step p50 <= {q(now['steps'], last['steps'], .5)} p99 <= {q(now['steps'], last['steps'], .99)}, "
      f"delay p50 <= {q(now['delay'], last['delay'], .5)} p99 <= {q(now['delay'], last['delay'], .99)}, dropped {int(now['dropped'] - last['dropped'])}, "
      f"alerts {int(now['queued'] - last['queued'])} queued {int(now['sent'] - last['sent'])} acked, backlog {int(now['pending'])} ({int(now['memory'])} in memory), "
      f"cpu {100 * (now['cpu'] - last['cpu']) / dt:.0f} %, cpu per reading {per(now['cpu'] - last['cpu'])} (workers {per(now['wcpu'] - last.get('wcpu', 0))}), "
      + (f"{(now['batch_sum'] - last.get('batch_sum', 0)) / (now['batch_n'] - last.get('batch_n', 0)):.0f} streams per batch step, " if now['batch_n'] > last.get('batch_n', 0) else '')
      + f"rss {now['rss']:.0f} MiB, gc " + '/'.join(str(now['gc'].get(g, 0)) for g in '012')
      + (f", {int(now['failed'])} streams failed" if now['failed'] else ''), flush=True)
json.dump(now, open(path, 'w'))
if label == 'end':
    f = json.load(open(first_path))
    zero = [(le, 0) for le, _ in now['steps']]
    print(f"total: {int(now['n'])} steps, dropped {int(now['dropped'])}, step p50 <= {q(now['steps'], zero, .5)} p99 <= {q(now['steps'], zero, .99)}, "
          f"delay p50 <= {q(now['delay'], [(le, 0) for le, _ in now['delay']], .5)} p99 <= {q(now['delay'], [(le, 0) for le, _ in now['delay']], .99)}, "
          f"alerts {int(now['queued'])} queued {int(now['sent'])} acked; rss {f['rss']:.0f} MiB at the first report, {now['rss']:.0f} MiB at the end; "
          f"gc gen0/1/2 {'/'.join(str(f['gc'].get(g, 0)) for g in '012')} -> {'/'.join(str(now['gc'].get(g, 0)) for g in '012')}")
PY
}
for ((t = every; t <= seconds; t += every)); do
  sleep "$every"
  if (( t + every > seconds )); then report "end"; else report "t=${t}s"; fi
done
grep -ciE 'fail|error' "$work/log.txt" | xargs -I{} echo "daemon log: {} lines with fail/error"
