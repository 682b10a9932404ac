"""End of the run: print the verdict table; exit non-zero if a relation is violated."""

import sys

from thermolearn import bounds, io

verdict = io.read_csv(snakemake.input.verdict, bounds.VERDICT_COLUMNS)
print(bounds.report(verdict), flush=True)
sys.exit(int((verdict["verdict"] == "violated").any()))
