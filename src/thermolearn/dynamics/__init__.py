"""Numba kernels for the stochastic dynamics of the models in docs/science.md."""
