"""PDF documents with ReportLab (arrives with the PDF plan issue)."""
