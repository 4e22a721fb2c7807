"""gettext catalogs (Babel) for the UI and the PDF's fixed texts."""
