import sys

from cetrus.cli import main

sys.exit(main())
