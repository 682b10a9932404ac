"""The five experiments (docs/science.md, Models A-E), one package each: its kernel (numba
dynamics), its theory where it has a closed form, and its stage functions (simulate, estimate,
summarise, bound checks) in the package itself."""
