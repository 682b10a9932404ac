"""thermolearn: the stochastic thermodynamics of learning, from first principles.

The models, estimators and theory curves are defined in docs/science.md; each function names the
equation it implements.
"""

import os

# The kernels run in parallel over trials (numba threads); the matrix products inside one trial
# (scipy's OpenBLAS, called by numba) must stay on one thread, or two trials' products fight for
# the cores. OpenBLAS reads this when it loads, which is after this package is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
