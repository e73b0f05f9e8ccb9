"""Teller Assist (柜面授信助手): walk-in pre-credit for a county rural commercial bank."""

__version__ = "0.1.0"
