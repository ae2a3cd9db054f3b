#!/usr/bin/env bash
# Store benchmarks (JMH) with the disk baseline measured in the same run.
# Usage: bench/store.sh [JMH regexp and options]   (default: every store benchmark)
# Scratch files go to $TAKHIN_BENCH_DIR (default ./bench-data, on the disk under test) and are deleted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
cd "$root"
./mvnw -q -B package -pl takhin-bench -am -DskipTests -Dspotless.check.skip=true -Denforcer.skip=true
dir="${TAKHIN_BENCH_DIR:-$root/bench-data}"
mkdir -p "$dir" bench-results

echo "== disk baseline: dd, 1 GiB sequential write, one fdatasync at the end (conv=fdatasync)"
dd_line="$(dd if=/dev/zero of="$dir/dd.bin" bs=1M count=1024 conv=fdatasync 2>&1 | tail -n1)"
echo "$dd_line"
echo "== disk baseline: dd, 128 KiB writes each followed by fdatasync (oflag=dsync)"
dd if=/dev/zero of="$dir/dd.bin" bs=128k count=4096 oflag=dsync 2>&1 | tail -n1
rm -f "$dir/dd.bin"

"$java_bin" -Dtakhin.bench.dir="$dir" -jar takhin-bench/target/benchmarks.jar \
  -rf json -rff bench-results/store.json "${@:-io.takhin.bench.store}"

python3 - "$dd_line" <<'PY'
import json, re, sys
dd = sys.argv[1]
m = re.search(r'([\d.,]+) ([kMG]?B)/s', dd)
scale = {'B': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}
dd_bps = float(m.group(1).replace(',', '.')) * scale[m.group(2)]
print(f"\n== summary (dd conv=fdatasync: {dd_bps/1e6:.0f} MB/s)")
for r in json.load(open('bench-results/store.json')):
    name = r['benchmark'].split('.')[-1]; p = r.get('params', {}); s = r['primaryMetric']
    if 'Append' in r['benchmark']:
        n = int(p['recordsPerAppend']); size = 38 + n * (100 + 24)  # batch header + per record: 24 bytes of framing + value
        bps = s['score'] * size
        print(f"append {name:13s} records/append={n:5d}: {s['score']:10.0f} appends/s = {s['score']*n:11.0f} records/s = {bps/1e6:7.1f} MB/s on disk = {bps/dd_bps*100:5.1f}% of dd")
    elif 'Read' in r['benchmark']:
        recs = int(p['records']); secs = s['score'] / 1e3
        print(f"read   all {recs} records: {s['score']:.1f} ms/op = {recs/secs:,.0f} records/s")
    elif 'Recovery' in r['benchmark']:
        recs = int(p['records']); secs = s['score'] / 1e3
        size = recs // 1000 * 38 + recs * 124
        print(f"recovery scan of {recs} records ({size/1e6:.0f} MB): {s['score']:.1f} ms/op = {size/secs/1e6:,.0f} MB/s")
PY
