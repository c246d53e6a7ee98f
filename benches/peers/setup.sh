#!/usr/bin/env bash
# Creates the Python environments the peer benchmarks run in, with pinned versions (idempotent).
#   benches/peers/setup.sh [numpy] [tf] [jax]     (no argument: all three)
# They go to $PEERS_HOME (default: $XDG_CACHE_HOME/tessera/peers, else ~/.cache/tessera/peers):
#   venv      numpy 2.4.6, threadpoolctl 3.8.0      (NumPy/OpenBLAS: element-wise, GEMM, the MLP)
#   venv-tf   tensorflow-cpu 2.21.0 (Keras 3)       (the chapter's Keras listing)
#   venv-jax  jax and jaxlib 0.10.2, numpy           (the same MLP, jit-compiled)
# Needs python3 with venv and pip; the first run downloads ~600 MB (TensorFlow most of it).
set -euo pipefail
home=$(bash "$(dirname "$0")/home.sh")
mkdir -p "$home"
cd "$home"
make_venv() { # dir, packages...
  local dir=$1; shift
  [ -x "$dir/bin/python" ] && "$dir/bin/python" -c 'import sys' 2>/dev/null && return 0
  echo "peers: creating $home/$dir ($*)" >&2
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check "$@"
}
for part in ${*:-numpy tf jax}; do
  case $part in
    numpy) make_venv venv numpy==2.4.6 threadpoolctl==3.8.0 ;;
    tf) make_venv venv-tf tensorflow-cpu==2.21.0 ;;
    jax) make_venv venv-jax jax==0.10.2 jaxlib==0.10.2 ;;
    *) echo "setup.sh: unknown part '$part' (numpy, tf, jax)" >&2; exit 2 ;;
  esac
done
