"""The bundle's ``careplan-desk``: the application window (what ``desktop.app:main`` is for an install)."""

import sys

from desktop.app import main

sys.exit(main())
