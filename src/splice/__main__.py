import sys

from splice.cli import main

sys.exit(main())
