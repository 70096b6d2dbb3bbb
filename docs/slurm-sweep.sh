#!/usr/bin/env bash
# One shard of an allot sweep per task of a Slurm array job; merge the shards when the array is
# done. The array's size is the shard count, its indices must start at 0:
#
#   sbatch --array=0-15 docs/slurm-sweep.sh SCENARIO OUT_DIR [SWEEP ARGUMENTS...]
#   # e.g. docs/slurm-sweep.sh scenarios/quzhou-2019 shards --weights dirichlet:50 \
#   #        --samples 100000 --seed 7 --budget key=20000000..40000000:1000000
#   allot merge OUT_DIR/shard-*.json -f json -o sweep.json    # once every task has finished
#
# Each task writes OUT_DIR/shard-I.json (atomically) with as many worker threads as Slurm gave it
# (--cpus-per-task); the result does not depend on them. ALLOT names the binary (default: allot
# on the PATH). tests/slurm/run.sh submits this very file to a one-node cluster in CI.
#SBATCH --job-name=allot-sweep
#SBATCH --array=0-15
#SBATCH --cpus-per-task=1
#SBATCH --output=allot-sweep-%A_%a.out
set -euo pipefail

if [ "$#" -lt 2 ]; then
    echo "usage: sbatch --array=0-N docs/slurm-sweep.sh SCENARIO OUT_DIR [SWEEP ARGUMENTS...]" >&2
    exit 2
fi
scenario="$1"
out="$2"
shift 2
task="${SLURM_ARRAY_TASK_ID:?not in a Slurm array job: submit with sbatch --array=0-N}"
count="${SLURM_ARRAY_TASK_COUNT:?not in a Slurm array job: submit with sbatch --array=0-N}"
if [ "${SLURM_ARRAY_TASK_MIN:-0}" != 0 ] || [ "${SLURM_ARRAY_TASK_MAX:-$((count - 1))}" != $((count - 1)) ]; then
    echo "docs/slurm-sweep.sh: the array must be 0-$((count - 1)) (shard i of $count is task i)" >&2
    exit 2
fi
mkdir -p "$out"
exec "${ALLOT:-allot}" sweep "$scenario" "$@" \
    --threads "${SLURM_CPUS_PER_TASK:-1}" \
    --shard "$task/$count" -o "$out/shard-$task.json"
