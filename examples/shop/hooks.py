"""Request hooks."""

import time

from flask import Flask, g


def register_hooks(app: Flask) -> None:
    @app.before_request
    def start_timer():
        g.started = time.monotonic()

    @app.after_request
    def add_timing(response):
        elapsed = time.monotonic() - g.started
        response.headers["Server-Timing"] = f"app;dur={elapsed * 1000:.1f}"
