"""Real faults for tests: a folder that refuses new files, a disk that is really full.

Made with real mechanisms, never mocks. A read-only folder: its mode (0500) for any user but root;
root, whom modes do not stop, gets the immutable attribute (``chattr +i``). A full disk: a small tmpfs
mounted over a folder (root only), so writes fail with ENOSPC in the kernel. Where the running user
cannot make the fault, the test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _refuses_new_files(folder: Path) -> bool:
    probe = folder / ".probe-new-file"
    try:
        probe.write_bytes(b"")
    except OSError:
        return True
    probe.unlink()
    return False


@contextmanager
def read_only_folder(folder: Path) -> Iterator[str]:
    """While inside, no file can be created in (or removed from) ``folder``; yields how ("mode" or
    "immutable"). Files already there keep their own modes."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode & 0o777
        folder.chmod(0o500)
        try:
            if not _refuses_new_files(folder):
                pytest.skip("this user can create files in a folder of mode 0500")
            yield "mode"
        finally:
            folder.chmod(mode)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root, whom folder modes do not stop, and chattr is not installed")
    made = subprocess.run([chattr, "+i", str(folder)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"running as root, and the immutable attribute cannot be set here: {made.stderr.strip()}")
    try:
        if not _refuses_new_files(folder):
            pytest.skip("running as root, and the immutable attribute does not stop new files here")
        yield "immutable"
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


@contextmanager
def small_disk(folder: Path, size_kb: int) -> Iterator[Path]:
    """A real file system of ``size_kb`` KiB (tmpfs) mounted on ``folder`` (created): writes beyond it
    fail with ENOSPC. Root only (mounting); skipped otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a real full disk needs a small file system mounted, which only root can do")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a small file system cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave_kb: int = 0) -> Path:
    """Fill the file system of ``folder`` up to ``leave_kb`` KiB free, with one file (returned)."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free - leave_kb * 1024
    with open(filler, "wb") as handle:
        block = b"\0" * 65536
        while free > 0:
            try:
                written = handle.write(block[: min(len(block), free)])
                handle.flush()
            except OSError:
                break
            free -= written
    return filler
