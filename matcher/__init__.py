"""talentmatch's domain: value types, skill resolution and the scoring policy.

Pure Python (plus rapidfuzz, numpy and scipy): nothing here imports Flask,
SQLAlchemy, marshmallow, ``api`` or ``graph``.
"""
