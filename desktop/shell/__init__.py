"""The application shell: the main window and global search, the session trace, the log, the None guard."""
