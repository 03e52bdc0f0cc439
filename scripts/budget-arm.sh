#!/usr/bin/env bash
# Runs one meta-training arm until its training JVM has used a CPU budget, then stops it with
# SIGTERM (the run checkpoints and exits). Arms compared at equal CPU time use the same budget,
# the same seed and the same machine (docs/TRAINING.md#equal-budget-arms).
#
#   scripts/budget-arm.sh CONFIG RUN_DIR CPU_SECONDS [extra metatrain options...]
#
# CPU time is user + system time of the JVM that trains (the launcher relaunches itself once;
# the budget counts the child), read from /proc/<pid>/stat. A run folder that exists is resumed,
# and the budget then counts this session only.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 CONFIG RUN_DIR CPU_SECONDS [metatrain options]" >&2; exit 2
fi
config=$1 run=$2 budget=$3; shift 3
jar=${JAR:-target/metaunsup.jar}
[ -f "$jar" ] || { echo "no $jar: build it with mvn -q package -DskipTests" >&2; exit 2; }
resume=()
[ -d "$run" ] && resume=(--resume)
ticks=$(getconf CLK_TCK)
java ${JAVA_OPTS:-} -jar "$jar" metatrain --config "$config" --run-dir "$run" "${resume[@]}" "$@" &
launcher=$!
used=0
cpu_of() {  # user+system seconds of a pid and its JVM child, 0 when gone
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    if [ -r /proc/$p/stat ]; then
      # fields 14 and 15 (utime, stime) after the command name in parentheses
      read -r ut st < <(sed 's/^.*) //' /proc/$p/stat | awk '{print $12, $13}')
      total=$((total + ut + st))
    fi
  done
  echo $((total / ticks))
}
while kill -0 $launcher 2>/dev/null; do
  now=$(cpu_of $launcher)
  [ "$now" -gt "$used" ] && used=$now
  if [ "$used" -ge "$budget" ]; then
    echo "budget-arm: $run used $used CPU-s of $budget: stopping" >&2
    kill -TERM $launcher
    break
  fi
  sleep 5
done
wait $launcher || true
echo "budget-arm: $run ended after at least $used CPU-s" >&2
