#!/bin/bash
# A throw-away single-node Slurm cluster in a sandbox folder: a job array
# of sweep shards and a merge job that depends on it; the merged sweep must
# equal the serial one byte for byte. See ../../docs/cluster.md.
#   slurm.sh LOKET SCENARIO WORKDIR
# Exit 77 when Slurm is not installed (the test is then skipped).
set -euo pipefail
loket=$1 scenario=$2 work=$3
command -v slurmctld >/dev/null && command -v sbatch >/dev/null || {
  echo "slurm.sh: slurmctld/sbatch not installed (apt-get install slurm-wlm)"; exit 77; }

D=$(mktemp -d /tmp/loket-slurm.XXXXXX)
chmod a+rx "$D"
mkdir -p "$D"/{state,spool,run,log}
host=$(hostname -s)
# Two ports nothing listens on, chosen at random so that a second run at
# the same time (another checkout's tests) does not take this one's.
# A port is taken when a connection to it succeeds (bash's /dev/tcp).
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    [ "$p" != "${1:-}" ] && ! port_taken "$p" && { echo "$p"; return; }
  done
  echo "slurm.sh: no free port found" >&2
  exit 1
}
ctld_port=$(free_port)
slurmd_port=$(free_port "$ctld_port")
cat > "$D/slurm.conf" <<CONF
ClusterName=loket
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd-%n.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=300
InactiveLimit=0
KillWait=5
Waittime=0
$(slurmd -C | head -1 | sed 's/ UpTime.*//') NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
export SLURM_CONF=$D/slurm.conf
stop() {
  [ -f "$D/run/slurmctld.pid" ] && kill "$(cat "$D/run/slurmctld.pid")" 2>/dev/null || true
  for f in "$D"/run/slurmd-*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 1
  rm -rf "$D"
}
trap stop EXIT
slurmctld -f "$SLURM_CONF" -c -i </dev/null
slurmd -f "$SLURM_CONF" </dev/null
for _ in $(seq 100); do
  sinfo -h -o %t 2>/dev/null | grep -q idle && break
  sleep 0.1
done
sinfo -h -o %t | grep -q idle || { echo "slurm.sh: the node did not come up"; cat "$D"/log/*; exit 1; }

rm -rf "$work"
mkdir -p "$work"
cd "$work"
vary="--vary departments.counter.staff=3,4,5 --replications 4 --quiet"
array=$(sbatch --parsable --array=0-3 -o "$work/shard-%a.log" \
  --wrap "$loket sweep $scenario $vary --out $work/slurm --shard \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT")
merge=$(sbatch --parsable --dependency=afterok:$array --kill-on-invalid-dep=yes \
  -o "$work/merge.log" --wrap "$loket merge $work/slurm")
for _ in $(seq 600); do
  [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ] && break
  sleep 0.1
done
[ -f "$work/slurm/sweep.csv" ] || { echo "slurm.sh: no sweep.csv"; cat "$work"/*.log; exit 1; }
"$loket" sweep "$scenario" $vary --out "$work/serial"
cmp "$work/slurm/sweep.csv" "$work/serial/sweep.csv"
cmp "$work/slurm/sweep_replications.csv" "$work/serial/sweep_replications.csv"
echo "slurm.sh: array of 4 shards + dependent merge == serial"
