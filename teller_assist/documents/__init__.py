"""Printed documents: the pre-credit agreement and the credit notification letter (ReportLab)."""
