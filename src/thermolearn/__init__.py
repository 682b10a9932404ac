"""thermolearn: the stochastic thermodynamics of learning, from first principles.

The models, estimators and theory curves are defined in SCIENCE.md; each function names the
equation it implements.
"""

__version__ = "0.1.0"
