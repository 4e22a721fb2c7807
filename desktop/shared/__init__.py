"""Shared widgets and helpers every page uses: builders, scrolling pages, charts, fonts, the background task runner."""
