"""Tests of finsam_opt.analysis (a package, so test module names cannot clash with others)."""
