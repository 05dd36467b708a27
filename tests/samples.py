"""Small Flask sources that several test modules check (one copy of each)."""

# One finding, FLH101 (a headers dict returned as the body), with an unsafe fix.
DICT_RETURNED_AS_HEADERS = (
    "from flask import Flask\n"
    "\n"
    "app = Flask(__name__)\n"
    "\n"
    "\n"
    '@app.route("/")\n'
    "def index():\n"
    '    return {"X-Frame-Options": "DENY"}\n'
)

# X-Frame-Options written twice in one view (the second write wins).
HEADER_WRITTEN_TWICE = """from flask import Flask, make_response

app = Flask(__name__)


@app.route("/")
def index():
    resp = make_response("hi")
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    return resp
"""
