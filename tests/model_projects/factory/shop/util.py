import requests


class Response:
    """A project class that happens to be called Response: not Flask's."""

    def __init__(self):
        self.headers = {}


def fetch():
    r = requests.get("https://example.com")
    r.headers["X-Not-Ours"] = "1"
    return r
