"""translate-flow: an offline translation and publishing workflow for a newsroom."""

__version__ = "0.1.0"
