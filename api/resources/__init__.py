"""One blueprint module per resource of the ``/api/v1`` contract (DESIGN.md §5)."""
