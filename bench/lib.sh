# Sourced by the HTTP benchmarks: start and stop a Takhin server on 127.0.0.1 by PID.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# prepare_http_bench NAME: builds the server and the load tools, and makes the scratch directory $dir
# ($TAKHIN_BENCH_DIR, default ./bench-data, on the disk under test).
prepare_http_bench() {
  (cd "$root" && ./mvnw -q -B package -pl takhin-server,takhin-bench -am -DskipTests -Dspotless.check.skip=true -Denforcer.skip=true)
  dir="${TAKHIN_BENCH_DIR:-$root/bench-data}/$1-$$"
  mkdir -p "$dir"
}

# start_server DATA_DIR [flags...]: sets $server_pid and $server_url; waits for /api/health.
start_server() {
  local data_dir="$1"; shift
  local port; port="$(free_port)"
  server_url="http://127.0.0.1:$port"
  "$root/bin/takhin" serve --data-dir "$data_dir" --api-addr "127.0.0.1:$port" "$@" > "$data_dir.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "$server_url/api/health" > /dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$data_dir.log"; echo "server exited" >&2; return 1; }
    sleep 0.1
  done
  echo "server did not become healthy in 30 s" >&2; return 1
}

stop_server() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

# print_context: the date, machine, load and commit a result was measured at, for BENCHMARKS.md.
print_context() {
  echo "== context: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}
