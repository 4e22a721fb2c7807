"""Bundled data: the knowledge pack, fonts with their licences, icons."""
