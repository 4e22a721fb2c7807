"""The organisation's logo is read within bounds: a huge file, a device, a pipe or a small image that
declares huge dimensions is refused with a clear reason, and the plan is made without it."""

from __future__ import annotations

import io
import os
import resource
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from planning.i18n import locale_scope
from planning.plan import Organisation
from reports.document import render
from reports.logo import MAX_LOGO_BYTES, LogoError, logo_problem, read_logo
from tests.reports.test_plan_pdf import SAMPLES, plan_for


def png(path: Path, width: int = 40, height: int = 20) -> Path:
    Image.new("RGB", (width, height), (200, 30, 30)).save(path, "PNG")
    return path


def declared_png(path: Path, width: int, height: int) -> Path:
    """A valid, tiny PNG whose header declares ``width`` x ``height`` pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )
    return path


def sparse(path: Path, size: int) -> Path:
    """A real file of ``size`` bytes that takes no room on the disk, starting like a PNG."""
    with open(path, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n")
        file.truncate(size)
    return path


def test_a_small_png_and_jpeg_are_used(tmp_path: Path) -> None:
    assert logo_problem(png(tmp_path / "logo.png")) is None
    Image.new("RGB", (30, 30)).save(tmp_path / "logo.jpg", "JPEG")
    assert logo_problem(tmp_path / "logo.jpg") is None
    assert read_logo(tmp_path / "logo.png") == (tmp_path / "logo.png").read_bytes()


def test_a_huge_sparse_file_is_refused_unread(tmp_path: Path) -> None:
    huge = sparse(tmp_path / "huge.png", 8 * 1024**3)  # 8 GiB: reading it would exhaust the memory
    in_use = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    room = in_use + 512 * 1024**2  # far less than the file: reading it whole would fail
    resource.setrlimit(resource.RLIMIT_AS, (room if hard == resource.RLIM_INFINITY else min(room, hard), hard))
    try:
        assert logo_problem(huge) == "Logo: larger than 2 MB"
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_a_file_just_over_the_limit_is_refused(tmp_path: Path) -> None:
    assert logo_problem(sparse(tmp_path / "big.png", MAX_LOGO_BYTES + 1)) == "Logo: larger than 2 MB"


def test_a_device_and_a_pipe_are_refused_without_reading(tmp_path: Path) -> None:
    assert logo_problem("/dev/zero") == "Logo: not a regular file"
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    assert logo_problem(tmp_path / "zero.png") == "Logo: not a regular file"
    os.mkfifo(tmp_path / "pipe.png")  # no writer: opening it must not wait for one
    assert logo_problem(tmp_path / "pipe.png") == "Logo: not a regular file"
    assert logo_problem(tmp_path) == "Logo: not a regular file"


def test_declared_huge_dimensions_are_refused_before_decoding(tmp_path: Path) -> None:
    bomb = declared_png(tmp_path / "bomb.png", 100_000, 100_000)  # 10 gigapixels in 100 bytes
    assert bomb.stat().st_size < 200
    assert logo_problem(bomb) == "Logo: more than 4,000×4,000 pixels"
    assert logo_problem(declared_png(tmp_path / "wide.png", 5000, 10)) == "Logo: more than 4,000×4,000 pixels"
    assert logo_problem(declared_png(tmp_path / "ok.png", 4000, 4000)) is None


def test_missing_and_not_an_image(tmp_path: Path) -> None:
    assert logo_problem(tmp_path / "none.png") == "Logo: no such file"
    (tmp_path / "text.png").write_text("not an image")
    assert logo_problem(tmp_path / "text.png") == "Logo: must be a PNG or JPEG image"
    Image.new("RGB", (10, 10)).save(tmp_path / "logo.gif", "GIF")
    assert logo_problem(tmp_path / "logo.gif") == "Logo: must be a PNG or JPEG image"
    with pytest.raises(LogoError):
        read_logo(tmp_path / "none.png")


def test_the_reason_is_in_the_interface_language(tmp_path: Path) -> None:
    with locale_scope("de"):
        problem = logo_problem(declared_png(tmp_path / "bomb.png", 100_000, 100_000))
    assert problem is not None and "4.000" in problem


def test_the_plan_is_made_without_a_logo_it_refuses(tmp_path: Path) -> None:
    plan = plan_for(SAMPLES[0], "en")
    good = replace(plan, organisation=Organisation("Clinic", "", str(png(tmp_path / "logo.png"))))
    with_logo = PdfReader(io.BytesIO(render(good)))
    assert any("/XObject" in page["/Resources"] for page in with_logo.pages)
    for bad in (
        "/dev/zero",
        str(sparse(tmp_path / "huge.png", 8 * 1024**3)),
        str(declared_png(tmp_path / "bomb.png", 100_000, 100_000)),
    ):
        pdf = render(replace(plan, organisation=Organisation("Clinic", "", bad)))
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == len(with_logo.pages)
        assert not any("/XObject" in page["/Resources"] for page in reader.pages), bad
