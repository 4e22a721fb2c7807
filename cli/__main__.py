"""`python -m cli`: the same as the `careplan` command."""

import sys

from cli.main import main

sys.exit(main())
