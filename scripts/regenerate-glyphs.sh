#!/usr/bin/env bash
# Regenerates data/glyphs/ (the multi-script glyph corpus) from Debian font packages.
# Needs root (apt-get) and a JDK 17 with Maven.
# Usage: scripts/regenerate-glyphs.sh [OUT_DIR]   (default: data/glyphs)
# The font packages are listed in scripts/glyph-font-packages.txt; only fonts from those packages
# are used, so other fonts on the machine do not change the output. With the same package versions
# the output is byte-for-byte the same (check with git diff / MD5SUMS). render-glyphs never writes
# over a folder: the corpus is rendered into a new folder beside OUT_DIR, which then replaces it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/data/glyphs}"
list="$here/scripts/glyph-font-packages.txt"
pkgs="$(sed -e 's/#.*//' "$list" | awk 'NF{print $1}' | tr '\n' ' ')"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends fontconfig $pkgs
cd "$here"
mvn -q -B -DskipTests package
new="$out.new.$$"
rm -rf "$new"
java -Xmx4g -Djava.awt.headless=true -jar target/metaunsup.jar data render-glyphs \
  --out "$new" --packages "$list"
rm -rf "$out"
mv "$new" "$out"
echo "regenerated $out; installed package versions:"
# shellcheck disable=SC2086
dpkg-query -W -f '  ${Package} ${Version}\n' $pkgs
