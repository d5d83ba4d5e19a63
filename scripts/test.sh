#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need (Debian packages, so run it as
# root or with sudo on a fresh machine), checks formatting and lints, builds once, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
export LANG=C.UTF-8

# rustup's minimal profile leaves these out; the default profile has them.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    rustup component add rustfmt clippy
fi

echo "== formatting"
cargo fmt --all --check
echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== tests"
# In-process token tests keep their SoftHSM2 tokens under target/softhsm (.cargo/config.toml);
# start each run from an empty token directory.
rm -rf target/softhsm
log=$(mktemp)
# The card reader tests start pcscd (with vsmartcard's vpcd readers) when none is running; stop
# the one they started when the suite ends.
pcscd_before=$(pgrep -x pcscd || true)
cleanup() {
    rm -f "$log"
    if [[ -z "$pcscd_before" ]]; then
        pkill -x pcscd 2>/dev/null || true
    fi
}
trap cleanup EXIT
set +e
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# cargo prints one "test result" line per test binary, the last often an empty doc-test run;
# close on the totals so the outcome reads at a glance.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
[[ "$status" -ne 0 ]] && exit "$status"
echo "== fuzzing, each target briefly from its seeds (scripts/fuzz.sh TARGET SECONDS for longer)"
# A fixed seed: the same inputs every run, so the suite does not fail on a crash it happened upon
# this time and not the last; long runs (README) explore with fresh seeds.
FUZZ_SEED=${FUZZ_SEED:-1} scripts/fuzz.sh all "${FUZZ_SECONDS:-10}"
