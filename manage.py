#!/usr/bin/env python
"""Django's manage.py, for habit; ``nominee`` is the same commands."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from nominee.cli import main

if __name__ == "__main__":
    main()
