#!/usr/bin/env bash
# Scale-out on one machine, as a person would do it (`make cluster-demo`): an S3-compatible store
# (moto's server), a `dask scheduler` and two `dask worker` processes, all on 127.0.0.1. It runs
#   1. the recipe locally with 2 worker processes (the baseline),
#   2. the same on the 2-worker cluster into s3://corpora/demo,
#   3. the same into s3://corpora/demo-kill, SIGKILLing one worker KILL_DELAY s after two shards
#      are recorded (so in the middle of its next shard),
# checks that the shards of 2. and 3. are byte-identical to 1., and prints samples/s and times.
# Every command is printed before it runs; every process it starts is stopped on exit.
# Settings: BIN (default .venv/bin), RECIPE (recipes/quick.toml), N (600; give it more than two
# shards, or the run ends before the kill), KILL_DELAY (5).
set -euo pipefail

BIN=${BIN:-.venv/bin}
RECIPE=${RECIPE:-recipes/quick.toml}
N=${N:-600}
KILL_DELAY=${KILL_DELAY:-5}
WORK=$(mktemp -d -t twinforge-demo-XXXXXX)
PIDS=()
WORKER_PIDS=()

stop() {  # SIGTERM, then SIGKILL whatever still runs after 10 s; always reaped
    [ $# -gt 0 ] || return 0
    kill "$@" 2>/dev/null || true
    ( trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM; sleep 10 & sleeper=$!; wait "$sleeper"
      kill -KILL "$@" 2>/dev/null ) &
    local watchdog=$!
    for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
    kill "$watchdog" 2>/dev/null || true
}
cleanup() {  # the workers first, while their scheduler still answers; then the rest
    stop "${WORKER_PIDS[@]}"
    stop "${PIDS[@]}"
    rm -rf "$WORK"
}
trap cleanup EXIT

show() { printf '\n$ %s\n' "$*" >&2; }
run() { show "$@"; "$@"; }
background() { show "$* &"; "$@" >>"$WORK/servers.log" 2>&1 & PIDS+=("$!"); }
free_port() { "$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
seconds() { "$BIN/python" -c "print(f'{$2 - $1:.1f}')"; }
wait_port() {
    "$BIN/python" -c "
import socket, sys, time
for _ in range(600):
    try:
        socket.create_connection(('127.0.0.1', $1), timeout=0.5).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit('nothing listens on 127.0.0.1:$1')"
}

S3_PORT=$(free_port)
SCHEDULER_PORT=$(free_port)
SCHEDULER=tcp://127.0.0.1:$SCHEDULER_PORT
# The standard AWS variables: boto and s3fs in the client and in every worker read them.
export AWS_ENDPOINT_URL=http://127.0.0.1:$S3_PORT AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo
export AWS_DEFAULT_REGION=us-east-1
export PYTHONPATH=${PYTHONPATH:-$PWD}
show "export AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_DEFAULT_REGION=us-east-1"

background "$BIN/python" -m moto.server -H 127.0.0.1 -p "$S3_PORT"
wait_port "$S3_PORT"
run "$BIN/python" -c "import s3fs; s3fs.S3FileSystem().mkdir('corpora')"
background "$BIN/dask" scheduler --host 127.0.0.1 --port "$SCHEDULER_PORT" --no-dashboard
wait_port "$SCHEDULER_PORT"
for name in w0 w1; do
    background "$BIN/dask" worker "$SCHEDULER" --nthreads 1 --no-nanny --host 127.0.0.1 --no-dashboard \
        --name "$name" --local-directory "$WORK"
    WORKER_PIDS+=("${PIDS[-1]}")
done
run "$BIN/python" -c "from distributed import Client; Client('$SCHEDULER').wait_for_workers(2, timeout=60)"

echo; echo "== 1. local, 2 worker processes"
start=$(now)
run "$BIN/twinforge" generate "$RECIPE" --n "$N" --out "$WORK/local" --workers 2 --quiet
local_s=$(seconds "$start" "$(now)")

echo; echo "== 2. the 2-worker cluster, into S3"
start=$(now)
run "$BIN/twinforge" generate "$RECIPE" --n "$N" --out s3://corpora/demo --scheduler "$SCHEDULER" --quiet
cluster_s=$(seconds "$start" "$(now)")

echo; echo "== 3. the same, one worker killed with SIGKILL $KILL_DELAY s after two shards are recorded"
start=$(now)
show "$BIN/twinforge" generate "$RECIPE" --n "$N" --out s3://corpora/demo-kill --scheduler "$SCHEDULER" --quiet "&"
"$BIN/twinforge" generate "$RECIPE" --n "$N" --out s3://corpora/demo-kill --scheduler "$SCHEDULER" --quiet &
client=$!
PIDS+=("$client")
"$BIN/python" -c "
import json, time, s3fs
fs = s3fs.S3FileSystem()
while True:
    fs.invalidate_cache()
    if fs.exists('corpora/demo-kill/manifest.json') and \
            len(json.loads(fs.cat_file('corpora/demo-kill/manifest.json'))['shards']) >= 2:
        break
    time.sleep(0.05)
time.sleep($KILL_DELAY)"
killed=$(now)
run kill -KILL "${WORKER_PIDS[0]}"
wait "$client"
finished=$(now)
kill_s=$(seconds "$start" "$finished")
after_kill_s=$(seconds "$killed" "$finished")

echo; echo "== the shards in S3 against the local ones"
run "$BIN/python" -c "
import hashlib, pathlib, s3fs
fs = s3fs.S3FileSystem()
local = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(pathlib.Path('$WORK/local/shards').glob('part-*.parquet'))}
for prefix in ('demo', 'demo-kill'):
    remote = {k.rsplit('/', 1)[1]: hashlib.sha256(fs.cat_file(k)).hexdigest()
              for k in fs.ls(f'corpora/{prefix}/shards')}
    assert remote == local, f'{prefix}: shards differ from the local run'
    print(f's3://corpora/{prefix}: {len(remote)} shards, byte-identical to the local run')"
run "$BIN/twinforge" verify s3://corpora/demo-kill

echo; echo "== figures ($N samples of $RECIPE; wall time including start-up)"
"$BIN/python" -c "
n = $N
for label, s in (('local, 2 processes', $local_s), ('cluster, 2 workers, into S3', $cluster_s),
                 ('cluster, one worker SIGKILLed', $kill_s)):
    print(f'{label:32s} {s:6.1f} s  {n / s:5.1f} samples/s  ({s / $local_s:.2f}x the local time)')
print(f'{\"finished after the kill in\":32s} {$after_kill_s:6.1f} s')"
