"""The web face of the pure points engine: the public calculator page and POST /api/v1/score."""
