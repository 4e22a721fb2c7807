"""`careplan`, the headless command line: one module per command group, on the services; never imports Qt."""
