#!/usr/bin/env bash
# Profile of the server while one consumer drains: fills a 1-partition topic with 1,000,000 records
# of 100 bytes, warms up, then records JFR (settings=profile) over N drains and prints where the
# server's CPU samples and allocations went and what its GCs were caused by.
# Usage: bench/profile-drain.sh [drains, default 5] [max_bytes_total, default 2097152]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
drains="${1:-5}"
max_bytes="${2:-2097152}"
./mvnw -q -B package -pl takhin-server,takhin-bench -am -DskipTests -Dspotless.check.skip=true -Denforcer.skip=true
dir="${TAKHIN_BENCH_DIR:-$root/bench-data}/profile-drain-$$"
mkdir -p "$dir" bench-results
trap 'stop_server; rm -rf "$dir" "$dir".*' EXIT
bin="$(dirname "$java_bin")"
tool() { "$java_bin" -cp takhin-bench/target/benchmarks.jar io.takhin.bench.DrainLoad "$@"; }
start_server "$dir"
curl -sf -X POST "$server_url/api/topics" -H 'Content-Type: application/json' -d '{"name":"drain1","partitions":1}' > /dev/null
tool --mode fill --url "$server_url" --topic drain1 --partitions 1 --records 1000000 --clients 4
tool --mode drain --url "$server_url" --topic drain1 --max-bytes "$max_bytes" > /dev/null
print_context
"$bin/jcmd" "$server_pid" JFR.start name=drain settings=profile > /dev/null
start="$(date +%s.%N)"
for _ in $(seq 1 "$drains"); do
  tool --mode drain --url "$server_url" --topic drain1 --max-bytes "$max_bytes" --server-pid "$server_pid"
done
end="$(date +%s.%N)"
"$bin/jcmd" "$server_pid" JFR.stop name=drain filename="$dir.jfr" > /dev/null
print_context
for event in jdk.ExecutionSample jdk.ObjectAllocationSample jdk.GarbageCollection; do
  "$bin/jfr" print --events "$event" "$dir.jfr" > "$dir.$event.txt"
done
python3 - "$dir" "$start" "$end" <<'PY'
import collections, re, sys
d, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
def events(name): return open(f"{d}.{name}.txt").read().split(name + " {")[1:]
def frames(e): return re.findall(r'^\s+([\w.$<>/]+\.[\w$<>]+)\(', e, re.M)
print(f"\n== JFR over {end - start:.1f} s of drains")
self_, incl, n = collections.Counter(), collections.Counter(), 0
for e in events("jdk.ExecutionSample"):
    f = frames(e)
    if not f: continue
    n += 1; self_[f[0]] += 1
    for x in set(f): incl[x] += 1
print(f"CPU samples: {n}; top frames (self):")
for f, c in self_.most_common(8): print(f"  {c*100/n:5.1f}%  {f}")
print("top frames (inclusive):")
for f, c in incl.most_common(12): print(f"  {c*100/n:5.1f}%  {f}")
alloc = collections.Counter()
for e in events("jdk.ObjectAllocationSample"):
    cls = re.search(r'objectClass = (\S+)', e); w = re.search(r'weight = ([\d.]+) (\w+)', e); f = frames(e)
    if not cls or not w: continue
    site = next((x for x in f if 'takhin' in x), f[0] if f else '?')
    alloc[(cls.group(1), f[0] if f else '?', site)] += float(w.group(1)) * {'bytes': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}.get(w.group(2), 1)
total = sum(alloc.values())
print(f"allocation (sampled weight): {total/1e9:.1f} GB; top sites:")
for (cls, top, site), v in alloc.most_common(6): print(f"  {v*100/total:5.1f}%  {cls} at {top} (from {site})")
causes, pause_ms = collections.Counter(), 0.0
for e in events("jdk.GarbageCollection"):
    name = re.search(r'name = "([^"]+)"', e); cause = re.search(r'cause = "([^"]+)"', e)
    causes[(name.group(1), cause.group(1))] += 1
    p = re.search(r'sumOfPauses = ([\d.]+) (\w+)', e)
    if p: pause_ms += float(p.group(1)) * {'ns': 1e-6, 'us': 1e-3, 'ms': 1, 's': 1e3}.get(p.group(2), 1)
print(f"GCs: {sum(causes.values())}, total pause {pause_ms:.0f} ms ({pause_ms/10/(end-start):.1f}% of the time); by collector and cause:")
for (name, cause), c in causes.most_common(): print(f"  {c:4d}  {name}: {cause}")
PY
