#!/usr/bin/env bash
# HTTP produce throughput: batches of 1000 records of 100 bytes to a 1-partition topic, with one and
# with four clients, against a server with the default durability (fsync before every 200).
# Usage: bench/http-produce.sh [seconds per run, default 15]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
seconds="${1:-15}"
./mvnw -q -B package -pl takhin-server,takhin-bench -am -DskipTests -Dspotless.check.skip=true -Denforcer.skip=true
dir="${TAKHIN_BENCH_DIR:-$root/bench-data}/http-produce-$$"
mkdir -p "$dir"
trap 'stop_server; rm -rf "$dir" "$dir.log"' EXIT
start_server "$dir"
echo "server $server_url pid $server_pid ($(grep -o 'listening.*' "$dir.log"))"
curl -sf -X POST "$server_url/api/topics" -H 'Content-Type: application/json' -d '{"name":"bench","partitions":1}' > /dev/null
for clients in 1 4; do
  "$java_bin" -cp takhin-bench/target/benchmarks.jar io.takhin.bench.ProduceLoad \
    --url "$server_url" --topic bench --clients "$clients" --seconds "$seconds" --batch 1000 --record-bytes 100
done
