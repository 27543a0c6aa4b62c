"""Layer 4: datasets: the national example (CSVs in ``data/``), synthetic national datasets
and the worked example of the model."""
