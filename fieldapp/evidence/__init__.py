"""Evidence that a fix is real: the checks of a resolved concern's after-photos.

checks (pure: facts in, results out), store (computing and keeping them per concern and
photo, when a concern is resolved and when a photo's bytes arrive), settings. docs/evidence.md.
"""
