"""Identifying the walk-in customer and the customer card: what the bank already knows."""
