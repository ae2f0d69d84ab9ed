"""Figures: matplotlib `Figure` objects on the Agg canvas, never pyplot. PNG bytes out."""
