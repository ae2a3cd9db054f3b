#!/usr/bin/env bash
# Kafka-backend drain: 1,000,000 records of 100 bytes in a 1-partition and a 4-partition topic of one
# real Kafka broker (a KRaft node started by takhin-kafka-fixture), drained
#   1. by a native KafkaConsumer (NativeKafkaDrain --mode drain),
#   2. through Takhin-over-Kafka (--backend=kafka) by one HTTP consumer (DrainLoad --mode drain, the
#      tool of bench/http-drain.sh), both ways DrainLoad can ask: sequential (the next request once
#      a response is read) and ahead (the next request as soon as a response has arrived, as a
#      KafkaConsumer fetches ahead),
# per topic one JVM of each, their passes alternated so both measure the same minutes; and, for
# comparison, the same HTTP drains of an embedded-store Takhin (topics filled through HTTP as
# bench/http-drain.sh does, the broker stopped by then). Prints records/s, Takhin-over-Kafka / native
# and embedded / Takhin-over-Kafka.
# Usage: bench/kafka-drain.sh [max_bytes_total, default 2097152]
# Environment: KAFKA_DRAIN_RECORDS (default 1000000), KAFKA_DRAIN_ROUNDS (measured drains of each
# topic and kind, default 5; the ratios use the medians), KAFKA_DRAIN_WARMUPS (unreported drains
# before them in the same JVM, default 6: fewer left the server's JIT still compiling in the measured
# drains), KAFKA_DRAIN_JFR (a file: record the
# Takhin-over-Kafka server with JFR, settings=profile, while it is up), KAFKA_DRAIN_SERVER_ARGS (extra
# arguments for that server, e.g. --kafka.max.poll.records=2000), KAFKA_DRAIN_KEEP_CONSUMERS=1
# (do not close the consumers DrainLoad leaves open; see close_drain_consumers).
# The Kafka topics are filled by a native producer (acks=all, idempotent, linger.ms 5, batch.size
# 256 KiB). Each drain is a new consumer group reading from the earliest offset; each kind gets the
# same warm-up drains first, not in the summary (for the HTTP drains they warm the server's JIT and
# the load tool's). Bounded: every fill and drain gives up after 120 s, every tool's JVM is killed by
# `timeout` after 600 s;
# the broker, the servers and the scratch directory are removed on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/bench/lib.sh"
cd "$root"
max_bytes="${1:-2097152}"
records="${KAFKA_DRAIN_RECORDS:-1000000}"
rounds="${KAFKA_DRAIN_ROUNDS:-5}"
script_start="$(date +%s)"

build() {
  ./mvnw -q -B package -pl takhin-server,takhin-bench,takhin-kafka-fixture -am -DskipTests \
    -Dspotless.check.skip=true -Denforcer.skip=true
}
build
dir="${TAKHIN_BENCH_DIR:-$root/bench-data}/kafka-drain-$$"
mkdir -p "$dir"

kafka_pid=""
broker_pid=""
stop_kafka() {
  if [ -n "$kafka_pid" ] && kill -0 "$kafka_pid" 2>/dev/null; then
    kill "$kafka_pid" 2>/dev/null || true # SIGTERM: the fixture kills its broker and deletes its directory
    for _ in $(seq 1 300); do kill -0 "$kafka_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$kafka_pid" 2>/dev/null || true
    wait "$kafka_pid" 2>/dev/null || true
  fi
  # Only if the fixture could not do it itself: its broker, by PID, if that is still a Kafka broker.
  if [ -n "$broker_pid" ] && tr '\0' ' ' 2>/dev/null < "/proc/$broker_pid/cmdline" | grep -q 'kafka\.Kafka '; then
    kill -9 "$broker_pid" 2>/dev/null || true
  fi
  kafka_pid=""
  broker_pid=""
}
cleanup() {
  stop_server
  stop_kafka
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

java_opts=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp takhin-bench/target/benchmarks.jar)
tool() { timeout 600 "$java_bin" "${java_opts[@]}" io.takhin.bench.DrainLoad "$@"; }
native() { timeout 600 "$java_bin" "${java_opts[@]}" io.takhin.bench.NativeKafkaDrain "$@"; }
# CPU seconds a process has used so far (utime + stime, clock ticks of 1/100 s).
cpu_seconds() { awk '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / 100 }' "/proc/$1/stat"; }
# median FILE TOPIC KIND: the median records/s of the lines "TOPIC KIND ... RATE" in FILE.
median() { awk -v t="$2" -v k="$3" '$1 == t && $2 == k { print $NF }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# paired NATIVE_FILE NATIVE_TOPIC HTTP_FILE HTTP_TOPIC KIND: the median of the per-pass ratios HTTP / native
# (the passes alternate, so pass i of each ran in the same seconds).
paired() {
  paste <(awk -v t="$2" '$1 == t && $2 == "native" { print $NF }' "$1") \
    <(awk -v t="$4" -v k="$5" '$1 == t && $2 == k { print $NF }' "$3") |
    awk '{ printf "%.3f\n", $2 / $1 }' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
all_rates() { awk -v t="$2" -v k="$3" '$1 == t && $2 == k { printf "%s%s", (n++ ? ", " : ""), $NF }' "$1"; }

# DrainLoad's closing DELETE goes to /apirs/{id} (its consumePath.replace("/consume", "") also hits
# the "/consume" in "/consumers"), gets a 404 it does not check, and leaves its consumer open until
# the 30 s session expiry; over Kafka such a member keeps every record it delivered (see
# BENCHMARKS.md section 7). Close them here, as DrainLoad means to, after every drain.
# KAFKA_DRAIN_KEEP_CONSUMERS=1 leaves them open, to measure what DrainLoad alone does.
close_drain_consumers() {
  local group id closed=0
  [ -z "${KAFKA_DRAIN_KEEP_CONSUMERS:-}" ] || return 0
  for group in $(curl -sf "$server_url/api/consumer-groups" | grep -o '"group_id":"drain-[^"]*"' | cut -d'"' -f4); do
    for id in $(curl -sf "$server_url/api/consumer-groups/$group" | grep -o '"consumer_id":"[^"]*"' | cut -d'"' -f4); do
      if curl -sf -o /dev/null -X DELETE "$server_url/api/consumers/$id"; then closed=$((closed + 1)); fi
    done
  done
  echo "   closed $closed consumer(s) DrainLoad left open"
}

echo "== tree: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown);" \
  "uncommitted: $(git status --porcelain 2>/dev/null | grep -vc '^??' || true) modified, $(git status --porcelain 2>/dev/null | grep -c '^??' || true) untracked file(s)"

echo "== starting a 1-node Kafka cluster (takhin-kafka-fixture)"
fixture_cp="$(echo takhin-kafka-fixture/target/takhin-kafka-fixture-*.jar):$(cat takhin-kafka-fixture/target/classpath.txt)"
: > "$dir/fixture.out" # before the background job opens it, so the loop below can read it at once
"$java_bin" -cp "$fixture_cp" io.takhin.kafka.fixture.KafkaCluster --nodes 1 --dir "$dir/kafka" --no-stdin \
  > "$dir/fixture.out" 2> "$dir/fixture.err" &
kafka_pid=$!
bootstrap=""
for _ in $(seq 1 1200); do
  bootstrap="$(sed -n 's/^bootstrap\.servers=//p' "$dir/fixture.out")"
  [ -n "$bootstrap" ] && break
  kill -0 "$kafka_pid" 2>/dev/null || { cat "$dir/fixture.err" >&2; echo "the Kafka fixture exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$bootstrap" ] || { tail -n 20 "$dir/fixture.err" >&2; echo "no Kafka broker within 120 s" >&2; exit 1; }
for child in $(ps -o pid= --ppid "$kafka_pid"); do
  if tr '\0' ' ' 2>/dev/null < "/proc/$child/cmdline" | grep -q 'kafka\.Kafka '; then broker_pid="$child"; fi
done
[ -n "$broker_pid" ] || { echo "cannot find the broker's process" >&2; exit 1; }
echo "kafka bootstrap.servers=$bootstrap fixture pid $kafka_pid broker pid $broker_pid"

print_context
for partitions in 1 4; do
  native --mode fill --bootstrap "$bootstrap" --topic "kdrain$partitions" --partitions "$partitions" --records "$records"
done

warmups="${KAFKA_DRAIN_WARMUPS:-6}"
echo "== Takhin-over-Kafka server (--backend=kafka) on the same broker"
build # bin/takhin would rebuild anyway if sources changed meanwhile, but within start_server's 30 s
# KAFKA_DRAIN_JFR=FILE: a JFR recording (settings=profile) of this server, written when it stops.
jfr_option="${KAFKA_DRAIN_JFR:+-XX:StartFlightRecording=filename=$KAFKA_DRAIN_JFR,settings=profile}"
TAKHIN_JAVA_OPTS="${TAKHIN_JAVA_OPTS:-} $jfr_option" \
  start_server "$dir/takhin-kafka" --backend=kafka "--kafka.bootstrap.servers=$bootstrap" ${KAFKA_DRAIN_SERVER_ARGS:-}
echo "server $server_url pid $server_pid (--backend=kafka)"

# step FD PID OUT PATTERN COUNT: lets a paced tool (--pace stdin) run one pass, waits until OUT has
# COUNT more lines matching PATTERN (bounded: the tool's own limits, and 300 s here), prints them.
step() {
  local fd="$1" pid="$2" out="$3" pattern="$4" count="$5" before waited=0
  before="$(grep -c "$pattern" "$out" || true)"
  echo go >&"$fd"
  until [ "$(grep -c "$pattern" "$out" || true)" -ge $((before + count)) ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 3000 ]; then
      cat "$out" >&2; echo "a paced drain tool stopped before its pass ended" >&2; exit 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  grep "$pattern" "$out" | tail -n "$count"
}

# Per topic one native JVM and one DrainLoad JVM, their passes alternated (--pace stdin): a native
# drain, then an HTTP drain each way (--fetch both), and again, so both kinds measure the same
# minutes of this shared machine. Each JVM gets $warmups unreported warm-up passes first (for the
# HTTP drains they compile the server's Kafka and HTTP paths and the client's own code), then
# $rounds measured ones, each by a new consumer in a new group. DrainLoad closes each consumer;
# close_drain_consumers checks.
echo "== native KafkaConsumer and Takhin-over-Kafka drains, alternated: per topic $warmups warm-up passes (not in the summary), then $rounds measured"
print_context
for partitions in 1 4; do
  rm -f "$dir/native.in" "$dir/http.in"
  mkfifo "$dir/native.in" "$dir/http.in"
  native --mode drain --bootstrap "$bootstrap" --topic "kdrain$partitions" --warmups "$warmups" --passes "$rounds" \
    --broker-pid "$broker_pid" --results "$dir/kafka.results" --pace stdin < "$dir/native.in" > "$dir/native.out" 2>&1 &
  native_tool=$!
  exec {native_in}>"$dir/native.in"
  tool --mode drain --url "$server_url" --topic "kdrain$partitions" --max-bytes "$max_bytes" --fetch both \
    --warmups "$warmups" --passes "$rounds" --server-pid "$server_pid" --results "$dir/takhin.results" \
    --pace stdin < "$dir/http.in" > "$dir/http.out" 2>&1 &
  http_tool=$!
  exec {http_in}>"$dir/http.in"
  for _ in $(seq 1 $((warmups + rounds))); do
    step "$native_in" "$native_tool" "$dir/native.out" '^native-drain' 1
    step "$http_in" "$http_tool" "$dir/http.out" '^drain' 2
  done
  exec {native_in}>&- {http_in}>&-
  wait "$native_tool" "$http_tool"
  close_drain_consumers
done
print_context
# The live heap (jcmd runs a full GC first) and the Kafka records still on it, as evidence of retention.
histogram="$("$(dirname "$java_bin")/jcmd" "$server_pid" GC.class_histogram)"
echo "== Takhin-over-Kafka server after the drains: live heap $(echo "$histogram" | awk '$1 == "Total" { printf "%.1f MB", $3 / 1e6 }')," \
  "ConsumerRecord instances $(echo "$histogram" | awk '$4 == "org.apache.kafka.clients.consumer.ConsumerRecord" { print $2 }' | grep . || echo 0)," \
  "consumer threads $("$(dirname "$java_bin")/jcmd" "$server_pid" Thread.print | grep -c '^"takhin-kafka-consumer' || true)"
stop_server
stop_kafka

echo "== embedded store: HTTP fill and drain of drain1 / drain4 (the broker is stopped)"
build
start_server "$dir/embedded"
echo "server $server_url pid $server_pid (embedded)"
for partitions in 1 4; do
  curl -sf -X POST "$server_url/api/topics" -H 'Content-Type: application/json' \
    -d "{\"name\":\"drain$partitions\",\"partitions\":$partitions}" > /dev/null
  tool --mode fill --url "$server_url" --topic "drain$partitions" --partitions "$partitions" --records "$records" --clients 4
done
print_context
for partitions in 1 4; do
  tool --mode drain --url "$server_url" --topic "drain$partitions" --max-bytes "$max_bytes" --fetch both \
    --warmups "$warmups" --passes "$rounds" --server-pid "$server_pid" --results "$dir/embedded.results"
  close_drain_consumers
done
print_context
stop_server

echo "== summary: median records/s of $rounds drains each (all drains in parentheses)"
for partitions in 1 4; do
  native_rate="$(median "$dir/kafka.results" "kdrain$partitions" native)"
  echo "partitions=$partitions native=$native_rate ($(all_rates "$dir/kafka.results" "kdrain$partitions" native))"
  for fetch in raw raw-ahead; do
    takhin_rate="$(median "$dir/takhin.results" "kdrain$partitions" "$fetch")"
    embedded_rate="$(median "$dir/embedded.results" "drain$partitions" "$fetch")"
    echo "partitions=$partitions client=$fetch takhin-over-kafka=$takhin_rate ($(all_rates "$dir/takhin.results" "kdrain$partitions" "$fetch"))" \
      "embedded=$embedded_rate ($(all_rates "$dir/embedded.results" "drain$partitions" "$fetch"))"
    echo "ratio partitions=$partitions client=$fetch takhin-over-kafka/native=$(ratio "$takhin_rate" "$native_rate")" \
      "(median of the per-pass ratios $(paired "$dir/kafka.results" "kdrain$partitions" "$dir/takhin.results" "kdrain$partitions" "$fetch"))" \
      "embedded/takhin-over-kafka=$(ratio "$embedded_rate" "$takhin_rate")" \
      "embedded/native=$(ratio "$embedded_rate" "$native_rate")"
  done
done
echo "== kafka-drain.sh took $(( $(date +%s) - script_start )) s"
