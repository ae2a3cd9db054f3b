#!/usr/bin/env bash
# Group commit of small appends: 1 and 8 threads appending 1-record batches (fsync per append) to one
# log, 3 s each, twice; then the same 8-thread run under strace counting pwrite64 (appends) against
# fsync calls. Set PATCHED_CLASSES=DIR to put a directory of compiled classes (e.g. an experimental
# PartitionLog) ahead of the build on the class path and run the same probe against it.
# Usage: bench/group-commit.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
./mvnw -q -B package -pl takhin-bench -am -DskipTests -Dspotless.check.skip=true -Denforcer.skip=true
dir="${TAKHIN_BENCH_DIR:-$root/bench-data}"
mkdir -p "$dir"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
probe() { "$java_bin" -cp "$1" io.takhin.bench.GroupCommitProbe --dir "$dir" --seconds 3 "${@:2}" 2>&1 | grep -v SLF4J; }
print_context
echo "== current build"
probe takhin-bench/target/benchmarks.jar --threads 1,8 --rounds 2
if [ -n "${PATCHED_CLASSES:-}" ]; then
  echo "== with $PATCHED_CLASSES ahead on the class path"
  probe "$PATCHED_CLASSES:takhin-bench/target/benchmarks.jar" --threads 1,8 --rounds 2
fi
print_context
if command -v strace > /dev/null; then
  echo "== current build, 8 writers under strace -f -c (slower; only the counts matter)"
  strace -f -c -e trace=fsync,fdatasync,pwrite64 -o "$out" \
    "$java_bin" -cp takhin-bench/target/benchmarks.jar io.takhin.bench.GroupCommitProbe --dir "$dir" --seconds 3 --threads 8 --rounds 1 2>&1 | grep -v SLF4J
  grep -E 'fsync|fdatasync|pwrite64' "$out"
fi
