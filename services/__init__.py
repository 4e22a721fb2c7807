"""The use cases both faces call: stores, case files, screening and estimates, plans, audit, settings, backups."""
