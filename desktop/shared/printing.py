"""Printing a PDF we made (a plan, a call checklist) on the system's printer: the standard print dialog on
the paper of the system's locale, and each page drawn at a bounded resolution, written once for both."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QPointF, QSize
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QWidget

PRINT_DPI = 200
"""Pages are rendered at this resolution: sharp on paper, bounded in memory."""

LETTER_TERRITORIES = frozenset(
    {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Philippines,
        QLocale.Country.Chile,
        QLocale.Country.Colombia,
        QLocale.Country.Venezuela,
    }
)


def paper_for(locale: QLocale) -> QPageSize.PageSizeId:
    """Letter where it is the usual paper (the Americas' Letter countries), A4 everywhere else."""
    return QPageSize.PageSizeId.Letter if locale.territory() in LETTER_TERRITORIES else QPageSize.PageSizeId.A4


def ask_printer(parent: QWidget):
    """The standard print dialog on the system locale's paper: the printer chosen, or None when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(paper_for(QLocale.system())))
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() else None


def print_document(document: QPdfDocument, printer) -> int:
    """Each page of ``document`` rendered at PRINT_DPI onto ``printer``, fitted to its page; returns the pages
    printed."""
    painter = QPainter(printer)
    pages = document.pageCount()
    try:
        for page in range(pages):
            if page:
                printer.newPage()
            size = document.pagePointSize(page)
            scale = PRINT_DPI / 72
            image = document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
            target = painter.viewport()
            ratio = min(target.width() / image.width(), target.height() / image.height())
            painter.save()
            painter.scale(ratio, ratio)
            painter.drawImage(QPointF(0, 0), image)
            painter.restore()
    finally:
        painter.end()
    return pages
