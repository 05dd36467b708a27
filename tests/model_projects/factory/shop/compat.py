from werkzeug.wrappers import Response

__all__ = ["Response"]
