"""The bundle's ``careplan``: the command line (what ``cli.main:main`` is for an install)."""

import sys

from cli.main import main

sys.exit(main())
