#!/usr/bin/env bash
# Screenshot a run's report.html in headless Chromium (Debian: apt-get install -y chromium),
# so a person can look at the page as a browser shows it.
# Usage: scripts/screenshot-report.sh RUN_DIR [OUT.png] [WIDTHxHEIGHT]
set -euo pipefail
run_dir=${1:?usage: $0 RUN_DIR [OUT.png] [WIDTHxHEIGHT]}
out=${2:-$run_dir/report-screenshot.png}
size=${3:-1100x2600}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "no chromium on PATH (Debian: apt-get install -y chromium)" >&2
  exit 2
fi
page=$(cd "$run_dir" && pwd)/report.html
[ -f "$page" ] || { echo "$page missing: run 'report --run-dir $run_dir' first" >&2; exit 2; }
# --no-sandbox: root in a container has no user namespace for the sandbox.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size="${size/x/,}" --screenshot="$out" "file://$page" 2>/dev/null
echo "$out"
