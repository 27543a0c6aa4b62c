"""Layer 5: the allocation year as Försäkringskassan runs it: its rounds, saved and loaded."""
