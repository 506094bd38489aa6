"""A linked-data publisher for library congresses: build, validate and release a knowledge graph."""

__version__ = "0.2.0"
