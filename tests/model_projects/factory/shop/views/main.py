import flask as f
from flask import Blueprint
from flask import make_response as mr
from flask.views import MethodView

from ..compat import Response as ProjectResponse
from ..util import Response as NotFlaskResponse

main_bp = Blueprint("main", __name__)
admin_bp = Blueprint("admin", __name__)
main_bp.register_blueprint(admin_bp, url_prefix="/admin")


@main_bp.route("/items/<int:item_id>/<path:rest>")
def item(item_id, rest):
    resp = mr("item")
    alias = resp
    alias.headers["X-Item"] = str(item_id)
    return resp


@main_bp.get("/plain")
def plain():
    fake = NotFlaskResponse()
    fake.headers["X-Fake"] = "1"
    real = ProjectResponse("ok")
    real.headers.add("X-Real", "1")
    return real


@admin_bp.route("/")
def admin_index():
    return f.jsonify(ok=True), 200, {"X-Admin": "1"}


class ItemAPI(MethodView):
    def get(self, item_id):
        return {"id": item_id}

    def helper(self):
        return None


main_bp.add_url_rule("/api/items/<uuid:item_id>", view_func=ItemAPI.as_view("item_api"))


@main_bp.after_request
def bp_only(response):
    response.vary.add("Cookie")
    return response


@main_bp.after_app_request
def everywhere(response):
    response.set_cookie("seen", "1")
    return response


def not_a_view():
    return mr("x")
