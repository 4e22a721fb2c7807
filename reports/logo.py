"""The organisation's logo, read in one place and within bounds: a regular file of at most
``MAX_LOGO_BYTES``, a PNG or JPEG image of at most ``MAX_LOGO_SIDE`` pixels a side.

The bounds are checked before anything is decoded: the file's kind and size from the open file itself
(a device such as /dev/zero, a pipe or a folder is refused without reading it), at most one byte more
than the limit read, and the image's size from its header (Pillow opens lazily), so neither a huge
file nor a small one that declares huge dimensions (a decompression bomb) can exhaust the memory.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from pathlib import Path

from planning.i18n import _, format_number, format_size

MAX_LOGO_BYTES = 2_000_000
"""A logo file larger than this is refused (2 MB; a logo drawn 9 mm high needs a few kB)."""
MAX_LOGO_SIDE = 4000
"""A logo wider or taller than this many pixels is refused (decoded, 4000 x 4000 RGBA is 64 MB)."""
FORMATS = ("PNG", "JPEG")


class LogoError(ValueError):
    """A logo that is not used; the message says why, in the interface's language."""


def read_logo(path: str | Path) -> bytes:
    """The logo file's bytes once they are known to be a PNG or JPEG within the bounds; LogoError otherwise."""
    target = Path(path).expanduser()
    try:
        # non-blocking: opening a pipe waits for no writer; the kind is then told by the open file itself
        descriptor = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise LogoError(_("Logo: no such file")) from None
    except OSError as exc:
        raise LogoError(_("Logo: cannot be read ({reason})").format(reason=exc.strerror or exc)) from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise LogoError(_("Logo: not a regular file"))
    with os.fdopen(descriptor, "rb") as file:
        if status.st_size > MAX_LOGO_BYTES:
            raise LogoError(_("Logo: larger than {size}").format(size=format_size(MAX_LOGO_BYTES)))
        try:
            data = file.read(MAX_LOGO_BYTES + 1)  # a file that grew meanwhile is still read within bounds
        except OSError as exc:
            raise LogoError(_("Logo: cannot be read ({reason})").format(reason=exc.strerror or exc)) from None
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(_("Logo: larger than {size}").format(size=format_size(MAX_LOGO_BYTES)))
    _check_image(data)
    return data


def _check_image(data: bytes) -> None:
    """The image's format and size from its header, without decoding its pixels."""
    from PIL import Image, UnidentifiedImageError

    too_large = LogoError(
        _("Logo: more than {width}×{height} pixels").format(
            width=format_number(MAX_LOGO_SIDE), height=format_number(MAX_LOGO_SIDE)
        )
    )
    not_an_image = LogoError(_("Logo: must be a PNG or JPEG image"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size is checked here
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
        except Image.DecompressionBombError:
            raise too_large from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise not_an_image from None
    if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
        raise too_large
    if width < 1 or height < 1:
        raise not_an_image


def logo_problem(path: str | Path) -> str | None:
    """Why the logo at ``path`` would not be used (in the interface's language), or None when it would."""
    try:
        read_logo(path)
    except LogoError as exc:
        return str(exc)
    return None
