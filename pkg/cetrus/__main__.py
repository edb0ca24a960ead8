"""``python -m cetrus``: the ``cetrus`` command."""

import sys

try:
    from cetrus.cli import main
except KeyboardInterrupt:  # Ctrl-C while the command is still loading: one line too
    print("cetrus: error: interrupted (Ctrl-C); nothing was written", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
