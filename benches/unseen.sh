#!/usr/bin/env bash
# Times `allot solve` (whole process, wall seconds and peak memory) on rounds from the second
# generator, benches/quzhou_like.py, over seeds 1–8 of one size and setting, and prints the median
# and the worst. With REF=1, also highspy's two-level solve of each exported model
# (benches/reference.py; pip install highspy). With SWEEP=K, each seed's round is timed under a
# K-run Dirichlet sweep instead (`allot sweep --weights dirichlet:50 --samples K --seed 7`): a
# committee's weights, not the generator's, are where the weak rounds were found (REF is then
# left out: it solves the generator's weights only).
# Usage: [REF=1] [SWEEP=K] [ALLOT=BIN] benches/unseen.sh N [quzhou_like.py flags: --ties --correlated --groups K]
# Not part of CI: a measuring tool for BENCHMARKS.md.
set -euo pipefail
n=${1:?usage: benches/unseen.sh N [flags]}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
allot=${ALLOT:-$here/target/release/allot}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-6s %9s %9s %9s\n' seed allot_s allot_MB highs_s
for seed in 1 2 3 4 5 6 7 8; do
    python3 "$here/benches/quzhou_like.py" "$n" "$seed" "$work/r" "$@"
    if [ -n "${SWEEP:-}" ]; then
        /usr/bin/time -f '%e %M' -o "$work/time" "$allot" sweep "$work/r/scenario.toml" \
            --weights dirichlet:50 --samples "$SWEEP" --seed 7 -f json -o "$work/out.json" 2>/dev/null
    else
        /usr/bin/time -f '%e %M' -o "$work/time" "$allot" solve "$work/r/scenario.toml" -f json -o "$work/out.json" 2>/dev/null
    fi
    read -r secs kb <"$work/time"
    ref=-
    if [ -n "${REF:-}" ] && [ -z "${SWEEP:-}" ]; then
        "$allot" export --lp "$work/m.lp" "$work/r/scenario.toml" >/dev/null 2>&1
        ref=$(python3 "$here/benches/reference.py" "$work/m.lp" highs | awk '$1 == "highs" {print $2}')
    fi
    printf '%-6s %9s %9d %9s\n' "$seed" "$secs" $((kb / 1024)) "$ref"
    echo "$secs" >>"$work/all"
done
sort -g "$work/all" | awk '{a[NR] = $1} END {printf "median %.3f s (mean of the middle two), worst %.3f s\n", (a[4] + a[5]) / 2, a[NR]}'
