#!/usr/bin/env bash
# Installs the Debian packages the kiosk needs to build (and, with `test`, to run its test suite)
# when they are missing. Installing needs root (or sudo); nothing is installed when all is there.
#   scripts/deps.sh          build and run
#   scripts/deps.sh test     also what the tests drive (tmux for the terminal UI, …)
set -euo pipefail

build_packages=(gcc libc6-dev pkg-config libpcsclite-dev libzbar-dev libclang-dev fonts-noto-cjk fonts-dejavu-core)
test_packages=(tmux softhsm2 opensc openssl pcscd vsmartcard-vpcd zbar-tools qrencode cups cups-client printer-driver-cups-pdf poppler-utils python3-aiosmtpd postgresql)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "test" ]]; then
    wanted+=("${test_packages[@]}")
fi

missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing Debian packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    # sudo drops the environment; keep apt from asking questions nobody can answer.
    as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
else
    echo "These packages are missing and installing them needs root: ${missing[*]}" >&2
    echo "Run this script as root, or install them with: apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
