"""Layer 7: the command line, ``finsam-opt``."""

from finsam_opt.cli.app import main

__all__ = ["main"]
