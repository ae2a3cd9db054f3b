#!/usr/bin/env bash
# Store benchmarks (JMH) with the disk baselines measured in the same run.
# Usage: bench/store.sh            every store benchmark, then a summary of ratios
#        bench/store.sh ARGS...    just JMH with these arguments (a regexp, -p, -i ...), then the summary
# Env: TAKHIN_BENCH_DIR scratch directory (default ./bench-data, on the disk under test); emptied of
# what the benchmarks wrote.
#
# The dd baselines run inside the benchmarks, right before each measured op or iteration (see
# AppendBenchmark and SmallAppendBenchmark), because this shared virtual disk changes speed from one
# minute to the next: dd runs a few seconds apart differ by 2-4x. Each pair goes to
# bench-results/append-pairs.txt; the summary gives each pair's ratio and the median.
#   AppendBenchmark: 1 GiB appended in 1000-record batches (fsync per append, group commit) by 1 or 8
#     writers, vs dd 1 GiB in 1 MiB blocks with one fdatasync at the end (conv=fdatasync: the
#     target's baseline); also shown vs dd 128 KiB writes each followed by fdatasync (oflag=dsync).
#   SmallAppendBenchmark: 1-record appends/s by 1 or 8 writers vs dd 4 KiB oflag=dsync writes/s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
./mvnw -q -B package -pl takhin-bench -am -DskipTests -Dspotless.check.skip=true -Denforcer.skip=true
dir="${TAKHIN_BENCH_DIR:-$root/bench-data}"
mkdir -p "$dir" bench-results
pairs="$root/bench-results/append-pairs.txt"
: > "$pairs"
print_context
"$java_bin" -Dtakhin.bench.dir="$dir" -Dtakhin.bench.pairs="$pairs" -jar takhin-bench/target/benchmarks.jar \
  -rf json -rff bench-results/store.json "${@:-io.takhin.bench.store}"
print_context

python3 - "$pairs" <<'PY'
import json, statistics, sys
def mb(x): return x / 1e6
def fields(line): return dict(kv.split('=', 1) for kv in line.split()[1:])
pairs = [(l.split()[0], fields(l)) for l in open(sys.argv[1]) if l.strip()]
print("\n== summary (MB = 10^6 bytes; ± is JMH's 99.9% confidence half-width; invocation/iteration 0 is JMH's warm-up)")
ratios = {}
for kind, f in pairs:
    if kind == 'append':
        a, fd, ds = float(f['append-Bps']), float(f['dd-fdatasync-Bps']), float(f['dd-dsync-128k-Bps'])
        warm = f['invocation'] == '0'
        print(f"append writers={f['writers']} #{f['invocation']}: {mb(a):6.1f} MB/s ({float(f['appends'])/float(f['seconds']):5.0f} appends/s)"
              f" | dd conv=fdatasync {mb(fd):6.1f} MB/s -> {a/fd*100:5.1f}% | dd oflag=dsync 128k {mb(ds):6.1f} MB/s -> {a/ds*100:5.1f}%"
              + ("  (warm-up)" if warm else ""))
        if not warm: ratios.setdefault(('append', f['writers']), []).append((a / fd, a / ds, a))
    else:
        a, d = float(f['appends/s']), float(f['dd-synced-4k-writes/s'])
        warm = f['iteration'] == '0'
        print(f"1-record appends writers={f['writers']} #{f['iteration']}: {a:6.0f} appends/s | dd 4k oflag=dsync {d:6.0f} writes/s -> {a/d*100:4.0f}%"
              + ("  (warm-up)" if warm else ""))
        if not warm: ratios.setdefault(('small', f['writers']), []).append((a / d, a))
print()
for (kind, writers), v in ratios.items():
    if kind == 'append':
        print(f"median over {len(v)} ops: 1000-record appends, {writers} writer(s): {mb(statistics.median(x[2] for x in v)):.0f} MB/s ="
              f" {statistics.median(x[2] for x in v)/124038*1000:,.0f} records/s; {statistics.median(x[0] for x in v)*100:.0f}% of dd conv=fdatasync"
              f" (range {min(x[0] for x in v)*100:.0f}-{max(x[0] for x in v)*100:.0f}%); {statistics.median(x[1] for x in v)*100:.0f}% of dd oflag=dsync 128k")
    else:
        print(f"median over {len(v)} iterations: 1-record appends, {writers} writer(s): {statistics.median(x[1] for x in v):,.0f} appends/s;"
              f" {statistics.median(x[0] for x in v)*100:.0f}% of dd 4k oflag=dsync writes/s")
for r in json.load(open('bench-results/store.json')):
    name = r['benchmark'].split('.')[-2] + '.' + r['benchmark'].split('.')[-1]
    p, s = r.get("params", {}), r["primaryMetric"]; score, err = float(s["score"]), float(s["scoreError"])
    if 'records' in p:
        recs = int(p['records']); secs = score / 1e3; size = recs // 1000 * 38 + recs * 124  # RecordBatch layout
        if 'Read' in name:
            print(f"read all {recs} records: {score:.1f} ± {err:.1f} ms/op = {recs/secs:,.0f} records/s"
                  f" = {mb(size/secs):,.0f} MB/s of log ({mb(recs*100/secs):,.0f} MB/s of values)")
        else:
            print(f"recovery scan of {recs} records ({mb(size):.0f} MB of log): {score:.1f} ± {err:.1f} ms/op = {mb(size/secs):,.0f} MB/s")
    else:
        print(f"JMH {name} {p}: {score:.1f} ± {err:.1f} {s['scoreUnit']}")
PY
