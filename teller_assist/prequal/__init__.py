"""Pre-qualification: the credit policy as data, survey forms, and the explainable decision engine."""
