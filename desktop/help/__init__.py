"""Offline help: the user guide's pages (shipped per interface language in ``resources/help/<locale>/``),
the keyboard-shortcut sheet generated from the window's own actions, and the help window that shows both."""
