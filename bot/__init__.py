"""Nonlinear: a Discord bot that settles neural-network arguments with seeded NumPy experiments."""

import os

# One BLAS thread per process, set before NumPy loads (every entry point imports `bot`
# first, and so does each worker process when it unpickles its job). The jobs are small
# and the pool already runs a process per core; OpenBLAS's extra threads spin against
# each other on a busy machine: /approximate's least-squares ladder took 0.6-4.5 s
# instead of 60 ms with the default threads under load. A setting in the environment wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

__version__ = "0.1.0"
