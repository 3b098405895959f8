import sys

from ridersurvey.cli import main

sys.exit(main())
