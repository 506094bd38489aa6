"""The HTTP layer: translates requests to the core (``kg``) and its answers to responses."""
