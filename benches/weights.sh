#!/usr/bin/env bash
# Times `allot solve` (whole process) on one generated round under every committee weighting of a
# grid: each of the four criteria's weights (tech, benefit, jobs, smart) a multiple of STEP
# between LOW and HIGH, summing to 1. Each solve gets LIMIT seconds (`--time-limit`); prints one
# line per weighting, then how many were proven within the limit, the median and the worst.
# Usage: [STEP=0.1] [LOW=0.1] [HIGH=0.4] [LIMIT=10] [ALLOT=BIN] benches/weights.sh N SEED
# Not part of CI: a measuring tool for BENCHMARKS.md (the weights that make a proof slow).
set -euo pipefail
n=${1:?usage: benches/weights.sh N SEED}
seed=${2:?usage: benches/weights.sh N SEED}
step=${STEP:-0.1}
low=${LOW:-0.1}
high=${HIGH:-0.4}
limit=${LIMIT:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
allot=${ALLOT:-$here/target/release/allot}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grid=$(awk -v s="$step" -v lo="$low" -v hi="$high" 'BEGIN {
    a = int(lo / s + 0.5); b = int(hi / s + 0.5); total = int(1 / s + 0.5)
    for (t = a; t <= b; t++) for (e = a; e <= b; e++) for (j = a; j <= b; j++) {
        m = total - t - e - j
        if (m >= a && m <= b) printf "%.2f,%.2f,%.2f,%.2f\n", t * s, e * s, j * s, m * s
    }
}')
printf '%-24s %8s %s\n' weights seconds status
proven=0
count=0
for w in $grid; do
    "$allot" generate --projects "$n" --seed "$seed" --weights "$w" --force -o "$work/r" >/dev/null
    status=proven
    /usr/bin/time -f '%e' -o "$work/time" "$allot" solve "$work/r" --time-limit "$limit" \
        -f json -o "$work/out.json" 2>/dev/null || status="exit $?"
    secs=$(tail -1 "$work/time")
    printf '%-24s %8s %s\n' "$w" "$secs" "$status"
    count=$((count + 1))
    if [ "$status" = proven ]; then
        proven=$((proven + 1))
        echo "$secs" >>"$work/all"
    fi
done
echo "$proven of $count weightings proven within ${limit} s"
if [ -s "$work/all" ]; then
    sort -g "$work/all" | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "of those: median %.3f s, worst %.3f s\n", m, a[NR]}'
fi
