#!/usr/bin/env bash
# Runs the cargo-fuzz targets (fuzz/fuzz_targets: every parser of bytes from outside the kiosk).
#   scripts/fuzz.sh                    every target, 60 s each
#   scripts/fuzz.sh TARGET [SECONDS]   one target ("all" for every one)
#   scripts/fuzz.sh --list             the targets' names
# Each run starts from the target's committed seeds (fuzz/seeds/TARGET, read only) in a scratch
# corpus, so the repository stays as it was. A crash stops the script: libFuzzer saves the input
# under fuzz/artifacts/TARGET and prints how to reproduce it. The last line per target reports
# its executions. FUZZ_SEED=N makes a run repeatable (the suite's short run uses 1; unset, each
# run explores anew). Needs nightly Rust (on these machines) and cargo-fuzz (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

all=$(ls fuzz/fuzz_targets | sed 's/\.rs$//')
if [[ "${1:-}" == "--list" ]]; then
    echo "$all"
    exit 0
fi
target=${1:-all}
seconds=${2:-60}
if [[ "$target" == "all" ]]; then
    targets=$all
elif [[ -f "fuzz/fuzz_targets/$target.rs" ]]; then
    targets=$target
else
    echo "no fuzz target named $target; the targets are:" >&2
    echo "$all" >&2
    exit 2
fi

scripts/deps.sh
if ! cargo +nightly --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

cd fuzz
# No sanitizer: the code is safe Rust over C libraries that are tested apart; what fuzzing looks
# for here is a panic, an overflow (debug assertions are on) or a hang. One build for all targets.
flags=(--sanitizer none --debug-assertions)
cargo +nightly fuzz build "${flags[@]}"
for t in $targets; do
    work=$(mktemp -d)
    stats=$(mktemp)
    echo "== fuzz $t, ${seconds} s"
    set +e
    cargo +nightly fuzz run "${flags[@]}" "$t" "$work" "seeds/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -seed="${FUZZ_SEED:-0}" \
        >"$stats" 2>&1
    status=$?
    set -e
    rm -rf "$work"
    if [[ $status -ne 0 ]]; then
        tail -n 60 "$stats"
        rm -f "$stats"
        echo "fuzz $t: FAILED (exit $status); the input is under fuzz/artifacts/$t" >&2
        exit 1
    fi
    runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$stats")
    corpus=$(grep -o 'corp: [0-9]*' "$stats" | tail -n 1 | awk '{ print $2 }')
    rm -f "$stats"
    echo "fuzz $t: ${runs:-?} executions in ${seconds} s, corpus ${corpus:-?} inputs, no crash"
done
