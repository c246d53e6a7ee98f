#!/usr/bin/env bash
# The tensor crate's kernel suites cross-compiled for aarch64 (the NEON micro-kernel against the
# naive loop in every tier and layout, `wide`'s NEON element-wise paths against the naive loops,
# the linear-algebra ops) and its unit tests, run under qemu-user. This checks correctness on ARM; it says
# nothing about ARM speed, which emulation cannot measure.
#
# Needs: the Rust target (rustup), a cross linker and qemu-user. On Debian/Ubuntu, as root:
#   apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
# Missing pieces are installed when the script runs as root with apt-get at hand.
set -euo pipefail
cd "$(dirname "$0")/.."

target=aarch64-unknown-linux-gnu
if ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user >/dev/null
  else
    echo "aarch64 tests need aarch64-linux-gnu-gcc and qemu-aarch64 (see the top of $0)" >&2
    exit 1
  fi
fi

# The linker and the qemu runner for this target are set in .cargo/config.toml.
# Emulation runs ~20x slower, so three slow tests whose subject is not the ARM code are left to
# the x86 run: streamed against cached outputs (the lib's every-tier test compares NEON's
# streamed and cached stores bit for bit), thread-count determinism and the layered GEMM's
# scheduling (partitioning, the same on every CPU).
cargo test -q --target "$target" -p tessera-tensor --lib --test gemm_ladder \
  --test elementwise_vs_naive --test linalg_vs_naive -- \
  --skip streamed_outputs_equal_cached_ones --skip parallel_is_bit_identical_for_any_thread_count
