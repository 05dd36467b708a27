"""flasklint-headers: a static linter for Flask response headers and security headers."""

__version__ = "0.1.0"
