"""The ASGI entry point. The HTTP server is not part of this version yet: this runs ``kg serve``."""

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
