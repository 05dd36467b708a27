from datetime import timedelta

ONE_YEAR = 60 * 60 * 24 * 365


class BaseConfig:
    SESSION_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    lower_case_is_ignored = 1


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    HSTS_MAX_AGE = ONE_YEAR
