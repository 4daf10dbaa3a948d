import sys

from codemod.entry import main

sys.exit(main())
