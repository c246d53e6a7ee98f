#!/usr/bin/env bash
# Prints where the peers' Python environments live: $PEERS_HOME, else the per-user cache.
if [ -n "${PEERS_HOME:-}" ]; then echo "$PEERS_HOME"
elif [ -n "${XDG_CACHE_HOME:-}" ]; then echo "$XDG_CACHE_HOME/tessera/peers"
else echo "$HOME/.cache/tessera/peers"; fi
