"""`python -m harbor_sso.cli`."""

import sys

from . import main

sys.exit(main())
