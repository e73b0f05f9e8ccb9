"""Secrets (keyring), and later operators, login and the audit chain."""
