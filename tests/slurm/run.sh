#!/usr/bin/env bash
# The Slurm array job of docs/sweep.md on a real Slurm: a one-node cluster on this machine
# (slurmctld and slurmd on localhost, munge for authentication, a minimal slurm.conf in a
# temporary folder), docs/slurm-sweep.sh submitted as an array of 4 tasks with sbatch, the shards
# merged with `allot merge`, and the result compared byte for byte with the unsharded sweep. The
# daemons are stopped on exit. Run by .ci/run; .ci/setup installs slurmctld, slurmd, slurm-client
# and munge. Needs root (the daemons run as root here).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
allot="$root/target/release/allot"
[ -x "$allot" ] || cargo build --release
for tool in slurmctld slurmd sbatch sinfo scontrol munged munge; do
    command -v "$tool" >/dev/null || { echo "slurm test: $tool is missing (bash .ci/setup installs it)" >&2; exit 1; }
done

work="$(mktemp -d /tmp/allot-slurm.XXXXXX)"
started_munge=""
ctld="" ; node=""
cleanup() {
    set +e
    [ -n "$ctld$node" ] && scontrol shutdown >/dev/null 2>&1
    sleep 1
    [ -n "$ctld" ] && kill "$ctld" 2>/dev/null
    [ -n "$node" ] && kill "$node" 2>/dev/null
    wait 2>/dev/null
    [ -n "$started_munge" ] && kill "$(cat "$work/munged.pid" 2>/dev/null)" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "slurm test: $*" >&2
    for log in "$work"/*.log; do echo "--- $log" >&2; tail -20 "$log" >&2; done
    exit 1
}

# munge: the daemon Slurm authenticates with (one key, this machine only).
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge
    [ -s /etc/munge/munge.key ] || mungekey --create 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 status=none
    munged --force --pid-file="$work/munged.pid" 2>"$work/munged.log" || fail "munged did not start"
    started_munge=1
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n | unmunge >/dev/null || fail "munge does not answer"
fi

# Two free ports for the daemons.
read -r ctld_port node_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
host="$(hostname -s)"
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=allot-ci
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
$(slurmd -C | head -1) State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"

slurmctld -D -f "$SLURM_CONF" >"$work/slurmctld.out.log" 2>&1 &
ctld=$!
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out.log" 2>&1 &
node=$!
for _ in $(seq 100); do
    [ "$(sinfo -h -o %T 2>/dev/null | head -1)" = idle ] && break
    sleep 0.2
done
[ "$(sinfo -h -o %T 2>/dev/null | head -1)" = idle ] || fail "the node did not become idle: $(sinfo 2>&1)"

# The documented script, as documented: an array of 4 tasks, one shard each.
args=(--weights dirichlet:20 --budget key=25000000..35000000:5000000 --seed 7)
ALLOT="$allot" sbatch --wait --array=0-3 --output="$work/task-%a.log" --chdir="$root" \
    docs/slurm-sweep.sh scenarios/quzhou-2019 "$work/shards" "${args[@]}" >"$work/sbatch.log" 2>&1 \
    || fail "the array job failed: $(cat "$work/sbatch.log")"
shards=("$work"/shards/shard-*.json)
[ "${#shards[@]}" = 4 ] || fail "expected 4 shards, found ${#shards[@]}"

"$allot" merge "${shards[@]}" -f json -o "$work/merged.json"
"$allot" sweep scenarios/quzhou-2019 "${args[@]}" -f json -o "$work/whole.json"
cmp "$work/merged.json" "$work/whole.json" || fail "the merged shards differ from the unsharded sweep"
echo "slurm test: 4 array tasks on $(sinfo -h -o %N), merged = unsharded ($(wc -c <"$work/whole.json") bytes)"
