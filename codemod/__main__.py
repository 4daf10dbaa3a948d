import sys

from codemod.cli import main

sys.exit(main())
