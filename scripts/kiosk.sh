#!/usr/bin/env bash
# Builds and runs the kiosk on its embedded SQLite store (no hardware, no server needed).
# Arguments go to the kiosk: `scripts/kiosk.sh demo init`, `scripts/kiosk.sh --lang zh-Hant`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cargo build --release --locked --quiet -p kiosk
exec target/release/kiosk "$@"
