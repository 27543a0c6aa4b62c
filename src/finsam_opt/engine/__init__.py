"""Layer 2: the model: quantities, damping phases, policies, :func:`allocate`, the batch
solver, the surplus round, rounding, verification and the result; ``solvers/`` holds the
backends behind one registry."""
