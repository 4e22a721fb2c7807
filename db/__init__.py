"""Storage on SQLite through sqlite-utils; returns planning objects."""
