#!/usr/bin/env bash
# Runs every `flywheel bench` with --json into target/bench/ and renders docs/performance.md from those files.
#
#   scripts/performance.sh                 # all benchmarks with their default sizes (about 5-8 minutes on 2 cores)
#   FLYWHEEL="java -jar cli/target/flywheel.jar" scripts/performance.sh   # another way to start the command
#   BENCHES="sample serde" scripts/performance.sh                         # a subset
#
# The numbers depend on the machine and on whatever else runs on it: the document records the machine and the load
# average before and after the runs. Rendering is scripts/render-performance.py, so the document is never typed by hand.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${BENCH_OUT:-$root/target/bench}"
doc="${PERFORMANCE_DOC:-$root/docs/performance.md}"
read -r -a flywheel <<< "${FLYWHEEL:-$root/flywheel}"

benches="${BENCHES:-}"
if [ -z "$benches" ]; then
  benches="pipeline swap serde sample"
  # `bench latency` comes with `flywheel demo`; measure it whenever this build has it.
  if "${flywheel[@]}" bench --help 2>/dev/null | grep -qE '^\s+latency\b'; then
    benches="pipeline swap latency serde sample"
  fi
fi

mkdir -p "$out"
for bench in $benches; do rm -f "$out/$bench.json"; done
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  echo "nproc=$(nproc 2>/dev/null || echo unknown)"
  echo "memory=$(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel=$(uname -srm)"
  echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$out/machine.env"

for bench in $benches; do
  echo "== flywheel bench $bench" >&2
  "${flywheel[@]}" bench "$bench" --json "$out/$bench.json"
done

echo "loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >> "$out/machine.env"
python3 "$root/scripts/render-performance.py" "$out" "$doc"
echo "wrote $doc" >&2
