from flask import Blueprint
from flask_restful import Api, Resource

from .views import list_users

api_bp = Blueprint("api", __name__)
api = Api(api_bp)


class UserResource(Resource):
    def get(self, user_id):
        return {"id": user_id}, 201

    def post(self):
        return {}, 201, {"Location": "/users/1"}


api.add_resource(UserResource, "/users/<int:user_id>")
api_bp.add_url_rule("/users", "list_users", list_users)


@api_bp.errorhandler(404)
def not_found(error):
    return {"error": "not found"}, 404


def teapot(error):
    return "teapot", 418


api_bp.register_error_handler(418, teapot)
