"""The HTTP entry point: ``python server.py`` is ``kg serve`` with its defaults (and any of its options)."""

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
