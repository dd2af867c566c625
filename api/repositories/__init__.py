"""Repositories: tenant-scoped persistence that speaks in :mod:`matcher.model` values."""
