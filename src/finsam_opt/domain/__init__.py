"""Layer 1: what goes in: the unit table and its validation gate, parameters, the equity
staircase and municipality membership."""
