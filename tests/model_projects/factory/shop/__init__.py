"""App factory: extensions created elsewhere, blueprints from sub-packages, hooks in call form."""

import os

from flask import Flask

from . import settings
from .extensions import cors, talisman
from .hooks import add_security_headers, register_hooks
from .views import main_bp


def create_app(config_name="prod"):
    app = Flask(__name__)
    app.config.from_object(settings.ProductionConfig)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config.update(SECRET_KEY=os.environ.get("SECRET_KEY"), PREFERRED_URL_SCHEME="https")
    if config_name == "dev":
        app.config["SESSION_COOKIE_SECURE"] = False
    talisman.init_app(app, force_https=False)
    cors.init_app(app)
    app.after_request(add_security_headers)
    register_hooks(app)
    app.register_blueprint(main_bp)
    from .api import api_bp

    app.register_blueprint(api_bp, url_prefix="/api")
    return app
