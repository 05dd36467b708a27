"""Model-only multi-file projects for the ``tests/test_model_*.py`` unit tests."""
