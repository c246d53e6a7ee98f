#!/usr/bin/env bash
# The browser lab (docs/web.md): builds Tessera's WebAssembly (crates/web) and the page in web/,
# then serves it on http://127.0.0.1:${PORT:-8000}/.
#
#   scripts/web.sh            build, then serve
#   scripts/web.sh build      build only (web/pkg, web/model.safetensors)
#   scripts/web.sh serve      serve what is built
#
# Needs: the wasm32-unknown-unknown Rust target and the wasm-bindgen CLI at the version
# Cargo.lock pins (both installed here when missing), and python3 for the static server.
set -euo pipefail
cd "$(dirname "$0")/.."

build() {
  local target=wasm32-unknown-unknown
  if ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
  fi
  # The CLI must be the exact version of the wasm-bindgen crate the build links.
  local want
  want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
  local bindgen="${CARGO_HOME:-$HOME/.cargo}/bin/wasm-bindgen"
  if ! [ -x "$bindgen" ] || [ "$("$bindgen" --version | awk '{print $2}')" != "$want" ]; then
    echo "web: installing wasm-bindgen-cli $want (once)" >&2
    # Only the `wasm-bindgen` binary, no TLS, and little optimisation: it runs for a second.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_DEBUG=0 cargo install -q wasm-bindgen-cli --version "=$want" \
      --no-default-features --bin wasm-bindgen
  fi
  # Release profile, SIMD128 (.cargo/config.toml); no debug info in what the browser downloads.
  # The page is built as it ships, with the workspace's one codegen unit and thin LTO, even when
  # the environment overrides them for other builds (as CI does to build faster).
  CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_LTO=thin \
    cargo build -q --release --target "$target" -p tessera-web
  "$bindgen" --target web --no-typescript --out-dir web/pkg "target/$target/release/tessera_web.wasm"
  if ! [ -f web/model.safetensors ]; then
    echo "web: training the page's model (tessera mnist --save, 5 epochs)" >&2
    cargo run -q --release -p tessera -- mnist --save web/model.safetensors > /dev/null
  fi
  local wasm=web/pkg/tessera_web_bg.wasm
  echo "web: built $wasm ($(wc -c < "$wasm") bytes, $(gzip -9c "$wasm" | wc -c) gzipped)"
}

serve() {
  local port="${PORT:-8000}"
  echo "web: serving http://127.0.0.1:$port/ (Ctrl-C stops)"
  exec python3 -m http.server --bind 127.0.0.1 --directory web "$port"
}

case "${1:-all}" in
  build) build ;;
  serve) serve ;;
  all) build && serve ;;
  *) echo "usage: $0 [build|serve]" >&2; exit 2 ;;
esac
