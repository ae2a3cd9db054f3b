#!/usr/bin/env bash
# Idle capacity: 10,000 consumers, each in its own group on one idle 1-partition topic, each holding a
# 30 s long poll on its own connection; server heap per held poll (jcmd GC.class_histogram before
# and after, each after a full GC) and server CPU while they are parked (/proc/<pid>/stat over 10 s).
# Usage: bench/http-idle.sh [consumers, default 10000]
# Bounded: the tool stops after 30 s + 120 s at most; the whole script takes about a minute.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
consumers="${1:-10000}"
# One descriptor per connection on each side, plus files and jars: raise the soft limit if allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files limit: $(ulimit -n)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((consumers + 1000)) ]; then
  echo "ulimit -n $(ulimit -n) is too low for $consumers connections" >&2; exit 1
fi
prepare_http_bench http-idle
trap 'stop_server; rm -rf "$dir" "$dir.log"' EXIT
start_server "$dir" --consumers.max=$((consumers + 1000))
echo "server $server_url pid $server_pid"
curl -sf -X POST "$server_url/api/topics" -H 'Content-Type: application/json' -d '{"name":"idle","partitions":1}' > /dev/null
print_context
"$java_bin" -cp takhin-bench/target/benchmarks.jar io.takhin.bench.IdleCapacity --url "$server_url" --topic idle \
  --consumers "$consumers" --timeout-ms 30000 --idle-seconds 10 --server-pid "$server_pid"
print_context
