#!/usr/bin/env bash
# Times `allot solve` (whole process) on the adversarial shapes dumped by
#   ADV_DUMP=DIR cargo test --release --test integration adversarial::dump_shapes -- --ignored
# and, when highspy / PuLP are importable, the exported model in plain HiGHS and in CBC
# (benches/reference.py; two levels: best score, then least subsidy).
# Usage: [ALLOT_FLAGS=--perturb] [SKIP_REF=1] [SKIP_TABLE=1] benches/shapes.sh DIR [LIMIT_SECONDS]
# One line per round: name; allot's proof (`solve -f json`, the certificate) in s, and its status;
# allot's table (`solve`: the proof and the prices of inclusion above the funding lines, each one
# more proof with the entry locked in) in s; highspy s; CBC s. SKIP_REF=1 leaves the references
# out, SKIP_TABLE=1 the table. Timed with bash's $EPOCHREALTIME (a `date` inside the timed span
# added 2–5 ms, more than a small round's whole solve). allot runs untimed (a --time-limit changes
# HiGHS's settings) and is killed at the limit. Not part of CI: a measuring tool for BENCHMARKS.md.
set -euo pipefail
dir=${1:?usage: benches/shapes.sh DIR [LIMIT]}
limit=${2:-60}
ALLOT_FLAGS=${ALLOT_FLAGS:-}
here=$(cd "$(dirname "$0")/.." && pwd)
allot=${ALLOT:-$here/target/release/allot}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-22s %9s %-10s %9s %9s %9s\n' round allot_s status table_s highs_s cbc_s
for toml in "$dir"/*.toml; do
    name=$(basename "$toml" .toml)
    start=$EPOCHREALTIME
    set +e
    # shellcheck disable=SC2086
    timeout "$limit" "$allot" solve -f json $ALLOT_FLAGS "$toml" >/dev/null 2>"$work/err"
    rc=$?
    set -e
    end=$EPOCHREALTIME
    case $rc in 0) status=optimal ;; 124) status=killed ;; 3) status=infeasible ;; *) status="exit$rc" ;; esac
    table=-
    if [ -z "${SKIP_TABLE:-}" ] && [ "$rc" = 0 ]; then
        t0=$EPOCHREALTIME
        set +e
        # shellcheck disable=SC2086
        timeout "$limit" "$allot" solve $ALLOT_FLAGS "$toml" >/dev/null 2>&1
        trc=$?
        set -e
        t1=$EPOCHREALTIME
        if [ "$trc" = 0 ]; then table=$(awk "BEGIN {printf \"%.3f\", $t1 - $t0}"); else table=killed; fi
    fi
    ref=-
    if [ -z "${SKIP_REF:-}" ] && python3 -c 'import highspy' 2>/dev/null; then
        "$allot" export --lp "$work/m.lp" "$toml" >/dev/null 2>&1 &&
            ref=$(timeout $((limit * 2)) python3 "$here/benches/reference.py" "$work/m.lp" highs 2>/dev/null | awk '$1 == "highs" {print $2}') || ref=timeout
    fi
    cbc=-
    if [ -z "${SKIP_REF:-}" ] && python3 -c 'import pulp' 2>/dev/null; then
        "$allot" export --mps "$work/m.mps" "$toml" >/dev/null 2>&1 &&
            cbc=$(timeout $((limit * 2)) python3 "$here/benches/reference.py" "$work/m.mps" cbc 2>/dev/null | awk '$1 == "cbc" {print $2}') || cbc=timeout
    fi
    printf '%-22s %9.3f %-10s %9s %9s %9s\n' "$name" "$(awk "BEGIN {print $end - $start}")" "$status" "$table" "${ref:--}" "${cbc:--}"
done
