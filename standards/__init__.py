"""Documents of the standards talentmatch reads and writes (DESIGN.md §6).

Pure translation and verification: JSON Resume, Open Badges 2.0/3.0 (with
offline signature checks), schema.org JobPosting and CTDL documents in, the
API's own input bodies and :mod:`matcher` values out. Like :mod:`matcher`,
this package imports no web or storage framework; ``api/`` wires it.
"""
