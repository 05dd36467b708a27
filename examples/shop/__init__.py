"""A small shop API, written the way many tutorials do it (and with their pitfalls).

Run it with ``flask --app examples.shop run``; lint it with
``flasklint-headers examples/``.
"""

from flask import Flask
from flask_cors import CORS

from .hooks import register_hooks
from .views import bp


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "change-me"
    # The SPA runs on another origin and sends the session cookie.
    CORS(app, supports_credentials=True)
    app.register_blueprint(bp, url_prefix="/api")
    register_hooks(app)
    return app
