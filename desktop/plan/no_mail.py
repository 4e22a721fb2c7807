"""When no e-mail program opens the draft: say so in plain words, with where the draft and the PDF are, and
offer to open that folder or copy its path (to attach the PDF in a web mail, say)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from desktop.shared.plain import plain
from planning.i18n import _, isolate


def no_mail_program_box(parent: QWidget, folder: Path) -> tuple[QMessageBox, dict[str, QPushButton]]:
    """The message (not shown yet) and its buttons by role: ``open``, ``copy``, ``close``."""
    box = QMessageBox(QMessageBox.Icon.Information, _("E-mail…"), "", parent=parent)
    box.setObjectName("noMailProgram")
    box.setTextFormat(Qt.TextFormat.PlainText)  # a folder's name is never markup
    box.setText(
        _("No e-mail program was found on this computer. The draft and the PDF are saved in {folder}").format(
            folder=isolate(str(folder))
        )
    )
    box.setInformativeText(
        _(
            "Open the folder to attach the PDF in your web mail, or copy the path. The draft can be opened by any "
            "e-mail program later; it is removed after a week."
        )
    )
    buttons = {
        "open": box.addButton(_("Open folder"), QMessageBox.ButtonRole.ActionRole),
        "copy": box.addButton(_("Copy path"), QMessageBox.ButtonRole.ActionRole),
        "close": box.addButton(_("Close"), QMessageBox.ButtonRole.RejectRole),
    }
    box.setDefaultButton(buttons["open"])
    box.setEscapeButton(buttons["close"])
    return box, buttons


def tell_no_mail_program(parent: QWidget, folder: Path, open_folder: Callable[[Path], None]) -> str:
    """Show the message and do what the coordinator picks; returns ``open``, ``copy`` or ``close``.

    ``open_folder`` opens the folder (the system's file manager, through QDesktopServices); when that
    fails too, the path is copied instead and the coordinator told so."""
    box, buttons = no_mail_program_box(parent, folder)
    box.exec()
    clicked = box.clickedButton()
    choice = next((name for name, button in buttons.items() if button is clicked), "close")
    if choice == "open":
        try:
            open_folder(folder)
        except OSError:
            choice = "copy"
            QGuiApplication.clipboard().setText(str(folder))
            QMessageBox.information(
                parent,
                _("E-mail…"),
                plain(
                    _("The folder could not be opened either; its path is copied: {folder}").format(
                        folder=isolate(str(folder))
                    )
                ),
            )
    elif choice == "copy":
        QGuiApplication.clipboard().setText(str(folder))
    return choice
