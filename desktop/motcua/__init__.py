"""Một Cửa Xã — the commune one-stop desk application."""

__version__ = "0.1.0"
