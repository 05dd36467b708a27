def add_security_headers(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def register_hooks(app):
    @app.after_request
    def add_frame_options(resp):
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp

    def teardown(exc):
        pass

    app.teardown_appcontext(teardown)
