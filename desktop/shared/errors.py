"""Failures in words a person can read: one line, never a traceback."""

from __future__ import annotations


def plain_reason(exc: BaseException) -> str:
    """One line a person can read about what failed (never a traceback): a full disk, a read-only
    folder, a missing permission, an input/output error or a lock is named for what it is, in the
    interface's language (services.faults, the same words as the command line's)."""
    from services.faults import describe

    return describe(exc)
