#!/usr/bin/env bash
# Wake latency: a producer sends one record every 10 ms while a consumer long-polls (timeout_ms
# 30000, max_records 10); time from the produce request being sent to the consume response carrying
# the record being received. Server default durability: fsync before the 200, and records become
# visible to consumers only once fsynced.
# Usage: bench/http-wake-latency.sh [samples, default 2000] [client raw|jdk, default raw]
# The first 3000 records, sent back to back, warm up the JIT and are not counted.
# Bounded: (3000 warm-up + samples) x 10 ms, plus 60 s at most.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
samples="${1:-2000}"
client="${2:-raw}"
prepare_http_bench http-wake
trap 'stop_server; rm -rf "$dir" "$dir.log"' EXIT
start_server "$dir"
echo "server $server_url pid $server_pid"
curl -sf -X POST "$server_url/api/topics" -H 'Content-Type: application/json' -d '{"name":"wake","partitions":1}' > /dev/null
echo "== dd: synced 4 KiB writes on this disk right now (the fsync every produce waits for)"
dd if=/dev/zero of="$dir/dd.bin" bs=4k count=1000 oflag=dsync 2>&1 | tail -n1; rm -f "$dir/dd.bin"
print_context
"$java_bin" -cp takhin-bench/target/benchmarks.jar io.takhin.bench.WakeLatency --url "$server_url" --topic wake \
  --samples "$samples" --warmup 3000 --interval-ms 10 --max-records 10 --client "$client"
print_context
