"""Failures in words a person can read: one line, never a traceback."""

from __future__ import annotations


def plain_reason(exc: BaseException) -> str:
    """One line a person can read about what failed (never a traceback)."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
