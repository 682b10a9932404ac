"""End of the run: print the verdict table (and keep it in the rule's log); exit non-zero if a
relation is violated."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import sys
from pathlib import Path

from thermolearn import bounds
from thermolearn.scripting import verify

try:
    verify(snakemake.input.verdict, snakemake.params.reads)
except ValueError as error:
    sys.exit(str(error))  # one line: the file, both hashes and the command that rebuilds it
verdict = bounds.read_table(snakemake.input.verdict, ["experiment", "relation", "rows", "verdict", "table_rows"])
text = bounds.report(verdict)
Path(snakemake.log[0]).write_text(text + "\n")
print(text, flush=True)
sys.exit(int((verdict["verdict"] == "violated").any()))
