"""talentmatch's benchmark (``make bench``): the figures of DESIGN.md §8."""
