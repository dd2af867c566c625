"""The skill graph: taxonomy loading and (with networkx) proximity between skills.

Builds on ``matcher``'s value types; never imports ``api``.
"""
