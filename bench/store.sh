#!/usr/bin/env bash
# Store benchmarks (JMH) with the disk baselines measured in the same run.
# Usage: bench/store.sh            every store benchmark, with the dd baselines and a summary
#        bench/store.sh ARGS...    just JMH with these arguments (a regexp, -p, -i ...), no summary
# Env: STORE_ROUNDS (default 3) rounds of the append cases; TAKHIN_BENCH_DIR scratch directory
# (default ./bench-data, on the disk under test; emptied of what this script wrote).
#
# The disk here is a shared virtual disk whose speed changes from one minute to the next (dd runs a
# few seconds apart differ by 2-5x), so the append cases are interleaved with dd: every case runs
# right after a dd pair, the last case of a round is followed by one more, and each case is compared
# with the mean of the dd runs just before and just after it. Rounds repeat that; the summary gives
# each round's ratio and their median.
#   Baseline (the target's): dd, 1 GiB sequential write in 1 MiB blocks, one fdatasync at the end
#     (conv=fdatasync).
#   Also shown: dd, 128 KiB writes each followed by fdatasync (oflag=dsync), what one writer
#     appending ~124 KB batches with an fsync per append can at best do; and for the 1-record cases
#     dd, 4 KiB writes each followed by fdatasync, as synced writes per second.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
./mvnw -q -B package -pl takhin-bench -am -DskipTests -Dspotless.check.skip=true -Denforcer.skip=true
dir="${TAKHIN_BENCH_DIR:-$root/bench-data}"
mkdir -p "$dir" bench-results
jmh() { "$java_bin" -Dtakhin.bench.dir="$dir" -jar takhin-bench/target/benchmarks.jar "$@"; }
if [ $# -gt 0 ]; then jmh "$@"; exit; fi
trap 'rm -f "$dir/dd.bin"' EXIT
rounds="${STORE_ROUNDS:-3}"

dd_rate() { # dd ARGS... -> prints dd's summary line on stderr and the rate in bytes/s on stdout
  local line
  line="$(dd if=/dev/zero of="$dir/dd.bin" "$@" 2>&1 | tail -n1)"
  rm -f "$dir/dd.bin"
  echo "dd $* : $line" >&2
  python3 -c 'import re,sys; m=re.search(r"([\d.,]+) ([kMG]?B)/s", sys.argv[1]); print(float(m.group(1).replace(",","."))*{"B":1,"kB":1e3,"MB":1e6,"GB":1e9}[m.group(2)])' "$line"
}
baselines() { # -> "fdatasync-bytes/s dsync-128k-bytes/s dsync-4k-bytes/s"
  echo "$(dd_rate bs=1M count=1024 conv=fdatasync) $(dd_rate bs=128k count=2048 oflag=dsync) $(dd_rate bs=4k count=2000 oflag=dsync)"
}

print_context
: > bench-results/store-dd.txt
for round in $(seq 1 "$rounds"); do
  for case in oneWriter:1000 eightWriters:1000 oneWriter:1 eightWriters:1; do
    benchmark="${case%:*}"; records="${case#*:}"
    echo "$round before $benchmark $records $(baselines)" >> bench-results/store-dd.txt
    echo "== round $round: AppendBenchmark.$benchmark recordsPerAppend=$records (load $(cut -d' ' -f1-3 /proc/loadavg))"
    jmh "AppendBenchmark.$benchmark" -p "recordsPerAppend=$records" -rf json \
      -rff "bench-results/store-append-$round-$benchmark-$records.json" | grep -E '^(# Parameters|# Warmup Iteration|Iteration|Append|Benchmark )' || true
  done
  echo "$round end - - $(baselines)" >> bench-results/store-dd.txt
done
print_context
jmh 'ReadBenchmark|RecoveryBenchmark' -rf json -rff bench-results/store-read.json
print_context

python3 - <<'PY'
import json, statistics
def mb(x): return x / 1e6
rows = [l.split() for l in open('bench-results/store-dd.txt')]
print("\n== summary (MB = 10^6 bytes; ± is JMH's 99.9% confidence half-width of that run)")
print("dd runs: " + ", ".join(f"{mb(float(r[4])):.0f}" for r in rows) + " MB/s (conv=fdatasync, 1 GiB)")
print("         " + ", ".join(f"{mb(float(r[5])):.0f}" for r in rows) + " MB/s (oflag=dsync, 128 KiB)")
print("         " + ", ".join(f"{float(r[6])/4096:.0f}" for r in rows) + " synced 4 KiB writes/s (oflag=dsync)")
ratios = {}
for i, r in enumerate(rows):
    if r[1] != 'before':
        continue
    nxt = rows[i + 1]
    rnd, name, n = r[0], r[2], int(r[3])
    fd = (float(r[4]) + float(nxt[4])) / 2; ds = (float(r[5]) + float(nxt[5])) / 2; w4k = (float(r[6]) + float(nxt[6])) / 2 / 4096
    res = json.load(open(f'bench-results/store-append-{rnd}-{name}-{n}.json'))[0]
    s = res['primaryMetric']; size = 38 + n * (24 + int(res['params']['recordBytes']))  # RecordBatch layout
    bps, err = s['score'] * size, s['scoreError'] * size
    key = (name, n); ratios.setdefault(key, []).append((bps / fd, bps / ds, s['score'] / w4k, s['score']))
    print(f"round {rnd} {name:12s} records/append={n:4d}: {s['score']:6.0f} ± {s['scoreError']:5.0f} appends/s"
          f" = {s['score']*n:8.0f} records/s = {mb(bps):6.1f} ± {mb(err):5.1f} MB/s;"
          f" vs dd fdatasync {mb(fd):5.0f} MB/s: {bps/fd*100:5.1f}%; vs dd dsync 128k {mb(ds):4.0f} MB/s: {bps/ds*100:5.1f}%;"
          f" vs synced 4k writes {w4k:5.0f}/s: {s['score']/w4k*100:5.0f}%")
print()
for (name, n), values in ratios.items():
    med = lambda k: statistics.median(v[k] for v in values)
    print(f"median of {len(values)} rounds: {name:12s} records/append={n:4d}: {med(3):6.0f} appends/s = {med(3)*n:8.0f} records/s;"
          f" {med(0)*100:5.1f}% of dd fdatasync; {med(1)*100:5.1f}% of dd dsync 128k; {med(2)*100:4.0f}% of synced 4k writes/s")
for r in json.load(open('bench-results/store-read.json')):
    p, s = r['params'], r['primaryMetric']; score, err = s['score'], s['scoreError']
    recs = int(p['records']); secs = score / 1e3; size = recs // 1000 * 38 + recs * 124
    if 'Read' in r['benchmark']:
        print(f"read   all {recs} records: {score:.1f} ± {err:.1f} ms/op = {recs/secs:,.0f} records/s"
              f" = {mb(size/secs):,.0f} MB/s of log ({mb(recs*100/secs):,.0f} MB/s of values)")
    else:
        print(f"recovery scan of {recs} records ({mb(size):.0f} MB of log): {score:.1f} ± {err:.1f} ms/op = {mb(size/secs):,.0f} MB/s")
PY
