"""End of the run: print the verdict table (and keep it in the rule's log); exit non-zero if a
relation is violated."""

import sys
from pathlib import Path

from thermolearn import bounds, tables

verdict = tables.read_csv(snakemake.input.verdict, bounds.VERDICT_COLUMNS)
text = bounds.report(verdict)
Path(snakemake.log[0]).write_text(text + "\n")
print(text, flush=True)
sys.exit(int((verdict["verdict"] == "violated").any()))
