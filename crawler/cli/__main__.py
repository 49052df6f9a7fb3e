"""`python -m crawler.cli` is `sankofa`."""

import sys

from crawler.cli import main

sys.exit(main())
