"""Screenshots of "Set up once" (issue 19): the first-run set-up over the real window (a new data directory,
after the store's first-start choice), Settings with the logo's Browse… and preview and the default currency,
and a new case after picking the patient's nationality (Spain: Spanish and euros filled in).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_setup.py OUTDIR [--dark] [--locale ar] [--size 1366x768]

Writes setup-dialog, settings-profile and nationality-prefill PNGs (with -dark / -LOCALE suffixes).
"""

from __future__ import annotations

from PIL import Image, ImageDraw
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtTest import QTest
from shots_common import data_folder, finish, main_window, png, save, start

from db.knowledge_store import KnowledgeStore
from db.paths import cases_db_path, knowledge_db_path
from db.vault import CaseVault
from desktop.shell.main_window import PAGES


def main() -> int:
    args, _app = start()
    base = data_folder("careplan-setup-shots-")
    logo = base / "logo.png"
    image = Image.new("RGB", (360, 120), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 110, 110), fill=(10, 110, 170))
    draw.rectangle((130, 40, 340, 80), fill=(10, 110, 170))
    image.save(logo, "PNG")
    CaseVault(cases_db_path(base)).setup(None)  # the first-start choice made: the set-up comes next
    vault = CaseVault(cases_db_path(base))
    window = main_window(
        args,
        base,
        lambda w: w.setup_dialog is not None,
        open_store=lambda: KnowledgeStore.open(knowledge_db_path(base)),
        open_cases=lambda codes: vault.open(codes, check_same_thread=True, check_later=True),
        who="root",
        vault=vault,
        settle=300,
    )

    def shot(name: str, dialog=None) -> None:
        QTest.qWait(200)
        picture = window.grab()
        if dialog is not None:  # a dialog is a window of its own: drawn over the main window where it is
            painter = QPainter(picture)
            painter.fillRect(window.rect(), QColor(0, 0, 0, 90))  # the window behind, dimmed
            top_left = window.rect().center() - dialog.rect().center()
            frame = dialog.rect().translated(top_left).adjusted(-1, -1, 1, 1)
            painter.fillRect(frame, dialog.palette().color(QPalette.ColorRole.Mid))
            painter.fillRect(dialog.rect().translated(top_left), dialog.palette().color(QPalette.ColorRole.Window))
            painter.drawPixmap(top_left, dialog.grab())
            painter.end()
        save(picture, png(args, name))

    dialog = window.setup_dialog
    dialog.name.setText("Dana Roe")
    dialog.email.setText("dana@example")  # shown as refused: the field is named
    dialog.phone.setText("+34 600 123 456")
    dialog.org_name.setText("Viajes Salud Valencia")
    dialog.logo.edit.setText(str(logo))
    dialog.logo.check()
    dialog.address.setPlainText("Calle Mayor 1\n46001 Valencia\nEspaña")
    dialog.contact.setText("+34 960 000 000 · info@viajes-salud.example")
    dialog.currency.set_value("USD")  # quotes in dollars: a Spanish patient gets euros
    dialog.save()
    shot("setup-dialog", dialog)
    dialog.email.setText("dana@viajes-salud.example")
    dialog.save()

    window.nav.setCurrentRow(PAGES.index("settings"))
    shot("settings-profile")

    window.nav.setCurrentRow(PAGES.index("cases"))
    window.cases.new_case()
    editor = window.cases.editor
    editor.choose("patient.full_name", "Lucía Ejemplo")
    nationality = editor.fields["patient.nationality"].widget
    nationality.setCurrentIndex(nationality.findData("ES"))
    nationality.activated.emit(nationality.currentIndex())
    shot("nationality-prefill")
    return finish(window)


if __name__ == "__main__":
    raise SystemExit(main())
