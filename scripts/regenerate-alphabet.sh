#!/usr/bin/env bash
# Regenerates data/alphabet/ (the rendered A-Z set) from Debian font packages and the
# Hershey stroke fonts. Needs root (apt-get) and a JDK 17 with Maven.
# Usage: scripts/regenerate-alphabet.sh [OUT_DIR]   (default: data/alphabet)
# The font packages are listed in scripts/alphabet-font-packages.txt; only fonts from those
# packages are used, so other fonts on the machine do not change the output. With the same
# package versions the output is byte-for-byte the same (check with git diff / MD5SUMS).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/data/alphabet}"
list="$here/scripts/alphabet-font-packages.txt"
pkgs="$(sed -e 's/#.*//' "$list" | awk 'NF{print $1}' | tr '\n' ' ')"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends fontconfig fonts-dejavu-core $pkgs
cd "$here"
mvn -q -B -DskipTests package
java -Djava.awt.headless=true -jar target/metaunsup.jar data render-alphabet \
  --out "$out" --packages "$list"
echo "regenerated $out; installed package versions:"
# shellcheck disable=SC2086
dpkg-query -W -f '  ${Package} ${Version}\n' $pkgs
