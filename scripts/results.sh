#!/usr/bin/env bash
# Runs `flywheel demo` for ppo, grpo and dpo one after another, each on a fresh data directory, writing their JSON
# reports into target/results/, then renders docs/results.md from those reports (the truthfulness result of issue 9).
#
#   scripts/results.sh                                   # three 8-minute runs, about 27 minutes on 2 cores
#   DURATION=60s RESULTS_DOC=/tmp/results.md scripts/results.sh             # a quick check into a scratch file
#   FLYWHEEL="java -jar cli/target/flywheel.jar" scripts/results.sh         # another way to start the command
#   ALGOS="ppo" scripts/results.sh                                          # a subset
#
# The document records the machine, the date and the load average before the runs. Rendering is
# scripts/render-results.py, so the document is never typed by hand.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${RESULTS_OUT:-$root/target/results}"
doc="${RESULTS_DOC:-$root/docs/results.md}"
duration="${DURATION:-8m}"
algos="${ALGOS:-ppo grpo dpo}"
read -r -a flywheel <<< "${FLYWHEEL:-$root/flywheel}"

mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.log
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  echo "nproc=$(nproc 2>/dev/null || echo unknown)"
  echo "memory=$(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  echo "arch=$(uname -m)"
  echo "kernel=$(uname -sr)"
  echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "duration=$duration"
} > "$out/machine.env"

for algo in $algos; do
  data="$out/data-$algo"
  rm -rf "$data"
  echo "== flywheel demo --algo $algo --duration $duration" >&2
  # --port 0: the dashboard takes a free port, so a busy 8080 never fails a 25-minute run.
  "${flywheel[@]}" demo --algo "$algo" --duration "$duration" --report "$out/$algo.json" --data-dir "$data" \
      --port 0 | tee "$out/$algo.log"
  rm -rf "$data"
done

python3 "$root/scripts/render-results.py" "$out" "$doc"
echo "wrote $doc" >&2
