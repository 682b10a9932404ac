#!/usr/bin/env bash
# The opt-in SLURM test (root): starts a single-node cluster on this machine (tests/slurm/cluster.sh), then
# runs config/quick.yaml and config/paper.yaml's largest jobs of each kind through profiles/slurm
# (tests/test_slurm.py): byte identity with a local run, each job's request and use in sacct with no
# memory or time kill, a forced timeout retried, Ctrl-C and the resume. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/../.."
tests/slurm/cluster.sh
[ -x .venv/bin/pytest ] || { python3 -m venv .venv && .venv/bin/pip install --require-hashes -r requirements.lock && .venv/bin/pip install --no-deps -e .; }
start=$(date +%s)
THERMOLEARN_SLURM=1 .venv/bin/pytest -o addopts= tests/test_slurm.py -m slurm -rs -s "$@"
echo "tests/slurm/run.sh: $(( $(date +%s) - start )) s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
