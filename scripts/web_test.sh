#!/usr/bin/env bash
# The browser lab's end-to-end test: builds the page (scripts/web.sh build), serves it on
# 127.0.0.1, and drives it in headless Chromium (web/test/browser.mjs, Playwright): an explorer
# expression shows NumPy's strides, a puzzle is checked, every GEMM tier matches the naive loop
# and SIMD128 runs >= 4x naive at 256^3, drawn digits are read in < 5 ms. Screenshots go to
# web/test/screenshots; `--update-docs` copies them into docs/img.
#
# Needs Chromium, Node.js with npm, python3 and what scripts/web.sh needs. On Debian/Ubuntu, as
# root: apt-get install chromium nodejs npm (installed here when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ] || ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q chromium >/dev/null
    command -v npm >/dev/null || apt-get install -y -q nodejs npm >/dev/null
    chromium=$(command -v chromium)
  else
    echo "web test: needs chromium and npm (see the top of $0)" >&2
    exit 1
  fi
fi

scripts/web.sh build
(cd web/test && npm ci --no-audit --no-fund --silent)

port="${PORT:-8765}"
python3 -m http.server --bind 127.0.0.1 --directory web "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/" >/dev/null && break
  sleep 0.1
done

BASE_URL="http://127.0.0.1:$port/" CHROMIUM="$chromium" node web/test/browser.mjs

if [ "${1:-}" = "--update-docs" ]; then
  for shot in explorer ladder digit; do
    cp "web/test/screenshots/$shot.png" "docs/img/web-$shot.png"
  done
  echo "web test: screenshots copied to docs/img/web-*.png"
fi
