"""The organisation's logo as Settings and the first-run set-up ask for it: the file's path (typed or chosen
with Browse…), a small preview of the image, and why a file is refused (as plans read it: reports.logo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.settings.editors import error_label
from desktop.shared.widgets import push_button, set_placeholder
from planning.i18n import _
from reports.logo import LogoError, read_logo

PREVIEW = QSize(108, 36)
"""The preview's box beside the path: the logo scaled to fit, its proportions kept (on the plan it is 9 mm high)."""

Chooser = Callable[[QWidget, str], str | None]
"""Asks for an image file (the parent, the folder to start in); its path, or None when none was chosen."""


def choose_image(parent: QWidget, folder: str) -> str | None:
    """The system's file dialog, showing PNG and JPEG images."""
    kinds = _("PNG or JPEG images") + " (*.png *.jpg *.jpeg *.PNG *.JPG *.JPEG)"
    path, _kind = QFileDialog.getOpenFileName(parent, _("Choose the logo"), folder, kinds)
    return path or None


class LogoField(QWidget):
    """The path, Browse… and the preview on a line, and below them why the file is refused (hidden when it is
    not). ``chosen`` is emitted when Browse chose a file; a typed path ends with the line's editingFinished."""

    chosen = Signal(str)

    def __init__(self, path: str, parent: QWidget | None = None, choose: Chooser | None = None):
        super().__init__(parent)
        self._choose = choose or choose_image
        self.edit = QLineEdit(path, self)
        set_placeholder(self.edit, _("a PNG or JPEG file"))
        self.browse = push_button(_("Browse…"), "logoBrowse", self.browse_for_logo, self)
        self.preview = QLabel(self)
        self.preview.setObjectName("logoPreview")
        self.preview.setFixedSize(PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setAccessibleName(_("Logo preview"))
        self.preview.hide()
        self.error = error_label("logoError", self)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.edit, 1)
        line.addWidget(self.browse)
        line.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(line)
        layout.addWidget(self.error)
        self.edit.editingFinished.connect(self.check)
        self.check()

    def path(self) -> str:
        return self.edit.text().strip()

    def browse_for_logo(self) -> None:
        """Ask for the image (from the current logo's folder, else the home folder); show and check it."""
        current = Path(self.path()).expanduser() if self.path() else None
        folder = str(current.parent) if current is not None and current.parent.is_dir() else str(Path.home())
        path = self._choose(self, folder)
        if not path:
            return
        self.edit.setText(path)
        self.check()
        self.chosen.emit(path)

    def check(self) -> str:
        """Why the logo is refused, in words naming the field (empty when it is not, or none is given); the
        preview shows the image when it is kept, the reason when it is not."""
        path = self.path()
        problem, pixmap = "", QPixmap()
        if path:
            try:
                data = read_logo(path)  # within bounds before any pixel is decoded
            except LogoError as exc:
                problem = str(exc)
            else:
                pixmap.loadFromData(data)  # a JPEG Qt cannot draw (rare) is still used by plans: no preview only
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if pixmap.isNull():
            self.preview.clear()
            self.preview.hide()
        else:
            ratio = self.devicePixelRatioF()
            scaled = pixmap.scaled(
                PREVIEW * ratio, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            scaled.setDevicePixelRatio(ratio)
            self.preview.setPixmap(scaled)
            self.preview.show()
        return problem
