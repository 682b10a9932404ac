#!/usr/bin/env bash
# A single-node SLURM cluster on this machine (root; Debian or Ubuntu): installs Debian's SLURM packages if
# missing, then starts munge, MariaDB and slurmdbd (accounting: sacct's MaxRSS and Elapsed per job step),
# slurmctld and slurmd with every CPU and the machine's memory. Jobs are polled every second
# (jobacct_gather/linux) and a step whose processes together hold more than its --mem is killed
# (OverMemoryKill); a job past its time limit is killed. `tests/slurm/cluster.sh stop` stops it again.
set -euo pipefail
conf=/etc/slurm
node=$(hostname -s)

if [ "${1:-start}" = stop ]; then
    for daemon in slurmd slurmctld slurmdbd; do
        [ -s /run/$daemon.pid ] && kill "$(cat /run/$daemon.pid)" || true
    done
    exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "cluster.sh: needs root (it installs packages and starts daemons)" >&2; exit 1; }

# A MySQL server already installed (GitHub's runners have one; MYSQL_PWD gives its root password) serves.
packages=()
for tool in slurmctld:slurm-wlm slurmdbd:slurmdbd munged:munge; do
    command -v "${tool%%:*}" >/dev/null || packages+=("${tool#*:}")
done
command -v mysqld >/dev/null || command -v mariadbd >/dev/null || packages+=(mariadb-server)
if [ ${#packages[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
fi

# munge: one key, the daemon as its own user
[ -s /etc/munge/munge.key ] || mungekey --create
mkdir -p /run/munge && chown munge:munge /run/munge
pgrep -x munged >/dev/null || runuser -u munge -- munged

# MySQL or MariaDB for slurmdbd
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
if ! mysqladmin ping >/dev/null 2>&1; then
    if command -v mysqld_safe >/dev/null; then (mysqld_safe >/dev/null 2>&1 &); else service mysql start; fi
    for _ in $(seq 60); do mysqladmin ping >/dev/null 2>&1 && break; sleep 1; done
fi
mysql -e "CREATE DATABASE IF NOT EXISTS slurm_acct_db; CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurm';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost'; FLUSH PRIVILEGES;"

mkdir -p $conf /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
chown slurm:slurm /var/spool/slurmctld /var/log/slurm
memory_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
cat > $conf/slurm.conf <<CONF
ClusterName=thermolearn
SlurmctldHost=$node
SlurmUser=slurm
SlurmdUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
MinJobAge=600
KillWait=10
# Accounting: every step's processes sampled each second; their summed RSS above --mem kills the step.
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
JobAcctGatherParams=OverMemoryKill
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoreFlags=job_comment
JobCompType=jobcomp/none
NodeName=$node CPUs=$(nproc) RealMemory=$memory_mb State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
cat > $conf/slurmdbd.conf <<CONF
AuthType=auth/munge
DbdHost=localhost
SlurmUser=slurm
LogFile=/var/log/slurm/slurmdbd.log
PidFile=/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=slurm
StorageLoc=slurm_acct_db
CONF
chown slurm:slurm $conf/slurmdbd.conf && chmod 600 $conf/slurmdbd.conf

pgrep -x slurmdbd >/dev/null || slurmdbd
for _ in $(seq 30); do sacctmgr -n list cluster >/dev/null 2>&1 && break; sleep 1; done
sacctmgr -i add cluster thermolearn >/dev/null 2>&1 || true
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 60); do
    state=$(sinfo -h -n "$node" -o %t 2>/dev/null || true)
    case "$state" in idle|mix|alloc) echo "cluster.sh: node $node up ($state), $(nproc) CPUs, $memory_mb MB"; exit 0;; esac
    sleep 1
done
echo "cluster.sh: node $node did not come up; see /var/log/slurm/" >&2
exit 1
