#!/usr/bin/env bash
# HTTP produce throughput: batches of 1000 records of 100 bytes to a 1-partition topic, with one and
# with four clients, against a server with the default durability (fsync before every 200).
# Each client is one keep-alive connection in a loop (raw socket client); one more run with one
# java.net.http client shows what the client costs. Bounded: each run stops after N seconds.
# Usage: bench/http-produce.sh [seconds per run, default 10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
seconds="${1:-10}"
prepare_http_bench http-produce
trap 'stop_server; rm -rf "$dir" "$dir.log" "$dir.strace"' EXIT
start_server "$dir"
echo "server $server_url pid $server_pid"
curl -sf -X POST "$server_url/api/topics" -H 'Content-Type: application/json' -d '{"name":"bench","partitions":1}' > /dev/null
load() { "$java_bin" -cp takhin-bench/target/benchmarks.jar io.takhin.bench.ProduceLoad --url "$server_url" --topic bench \
  --seconds "$seconds" --batch 1000 --record-bytes 100 --server-pid "$server_pid" "$@"; }
print_context
load --clients 1 --client raw --seconds 3 > /dev/null   # warm-up of the server's JIT, not reported
for clients in 1 4; do
  load --clients "$clients" --client raw
  print_context
done
load --clients 1 --client jdk
print_context
if command -v strace > /dev/null; then
  # Not a throughput run (strace slows the server): shows that every acknowledged request was fsynced.
  echo "== durability check: the server's fsync calls during 300 one-client produce requests (strace -f -c)"
  strace -f -c -e trace=fsync,fdatasync -o "$dir.strace" -p "$server_pid" 2> /dev/null &
  strace_pid=$!
  sleep 2
  load --clients 1 --max-requests 300 --seconds 30
  sleep 0.5
  kill -INT "$strace_pid"; wait "$strace_pid" || true
  cat "$dir.strace"
fi
