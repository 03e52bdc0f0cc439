#!/usr/bin/env bash
# Runs one meta-training arm until its training JVM has used a CPU budget, then stops it with
# SIGTERM (the run checkpoints and exits). Arms compared at equal CPU time use the same budget,
# the same seed and the same machine (docs/TRAINING.md#equal-budget-arms).
#
#   scripts/budget-arm.sh CONFIG RUN_DIR CPU_SECONDS [extra metatrain options...]
#
# CPU time is user + system time of the launcher JVM and the JVM it relaunches (the one that
# trains), read from /proc/<pid>/stat every 5 s. The total over sessions is kept in
# RUN_DIR/budget-cpu-seconds: a run folder that exists is resumed with the budget that is left.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 CONFIG RUN_DIR CPU_SECONDS [metatrain options]" >&2; exit 2
fi
config=$1 run=$2 budget=$3; shift 3
jar=${JAR:-target/metaunsup.jar}
[ -f "$jar" ] || { echo "no $jar: build it with mvn -q package -DskipTests" >&2; exit 2; }
resume=()
before=0
if [ -d "$run" ]; then
  resume=(--resume)
  [ -f "$run/budget-cpu-seconds" ] && before=$(cat "$run/budget-cpu-seconds")
fi
if [ "$before" -ge "$budget" ]; then
  echo "budget-arm: $run has used $before of $budget CPU-s already" >&2; exit 0
fi
ticks=$(getconf CLK_TCK)
java ${JAVA_OPTS:-} -jar "$jar" metatrain --config "$config" --run-dir "$run" "${resume[@]}" "$@" &
launcher=$!
cpu_of() {  # user+system seconds of a pid and its children now
  local total=0 p ut st
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    if [ -r /proc/$p/stat ]; then
      # utime and stime are fields 14 and 15; the command name in parentheses may hold spaces
      read -r ut st < <(sed 's/^.*) //' /proc/$p/stat | awk '{print $12, $13}') || continue
      total=$((total + ut + st))
    fi
  done
  echo $((total / ticks))
}
used=0
while kill -0 $launcher 2>/dev/null; do
  now=$(cpu_of $launcher)
  [ "$now" -gt "$used" ] && used=$now
  [ -d "$run" ] && echo $((before + used)) > "$run/budget-cpu-seconds.tmp" \
      && mv "$run/budget-cpu-seconds.tmp" "$run/budget-cpu-seconds"
  if [ $((before + used)) -ge "$budget" ]; then
    echo "budget-arm: $run used $((before + used)) CPU-s of $budget: stopping" >&2
    kill -TERM $launcher
    break
  fi
  sleep 5
done
wait $launcher || true
echo "budget-arm: $run ended after at least $((before + used)) CPU-s in all" >&2
