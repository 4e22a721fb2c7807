"""The Qt GUI, `careplan-desk`: one sub-package per area; storage is reached only through the services."""
