"""``python -m finsam_opt`` runs the command line."""

import sys

from finsam_opt.cli import main

sys.exit(main())
