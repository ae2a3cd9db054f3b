#!/usr/bin/env bash
# Drain: one HTTP consumer reads 1,000,000 records of 100 bytes from a 1-partition and from a
# 4-partition topic (max_records 10000), then, with the server stopped, the same JVM tool reads the
# same data in-process through the storage API; prints records/s and the ratio.
# Usage: bench/http-drain.sh [max_bytes_total, default 2097152]
# The topics are filled through HTTP produce (1000-record batches, 4 connections). Each drain is a new
# consumer group with auto_offset_reset=earliest. Bounded: each drain gives up after 120 s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
max_bytes="${1:-2097152}"
prepare_http_bench http-drain
trap 'stop_server; rm -rf "$dir" "$dir.log" "$dir.results"' EXIT
tool() { "$java_bin" -cp takhin-bench/target/benchmarks.jar io.takhin.bench.DrainLoad "$@"; }
start_server "$dir"
echo "server $server_url pid $server_pid"
print_context
for partitions in 1 4; do
  curl -sf -X POST "$server_url/api/topics" -H 'Content-Type: application/json' \
    -d "{\"name\":\"drain$partitions\",\"partitions\":$partitions}" > /dev/null
  tool --mode fill --url "$server_url" --topic "drain$partitions" --partitions "$partitions" --records 1000000 --clients 4
done
# A first short drain warms the server's JIT on the consume path; not reported.
tool --mode drain --url "$server_url" --topic drain1 --max-bytes "$max_bytes" > /dev/null
print_context
for partitions in 1 4; do
  tool --mode drain --url "$server_url" --topic "drain$partitions" --max-bytes "$max_bytes" \
    --server-pid "$server_pid" --results "$dir.results"
done
echo "== the same drain of drain1 with the client's cost changed: java.net.http, then full Jackson tokenising"
tool --mode drain --url "$server_url" --topic drain1 --max-bytes "$max_bytes" --server-pid "$server_pid" --client jdk
tool --mode drain --url "$server_url" --topic drain1 --max-bytes "$max_bytes" --server-pid "$server_pid" --parse jackson
echo "== the same drain of drain1 with max_bytes_total 1048576 (the default), then 104857600 (the contract's maximum)"
tool --mode drain --url "$server_url" --topic drain1 --max-bytes 1048576 --server-pid "$server_pid"
tool --mode drain --url "$server_url" --topic drain1 --max-bytes 104857600 --server-pid "$server_pid"
print_context
stop_server
echo "== in-process read of the same data directory (server stopped)"
tool --mode raw --data-dir "$dir" --topics drain1,drain4 --passes 5 --results "$dir.results"
print_context
