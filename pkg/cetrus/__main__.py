"""``python -m cetrus``: the ``cetrus`` command."""

import sys

from cetrus.cli import main

sys.exit(main())
