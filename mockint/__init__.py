"""mockint: an offline, private mock-interview coach for the terminal."""

__version__ = "0.1.0"
