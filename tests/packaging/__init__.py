"""The package as users get it: built, installed elsewhere, run."""
