"""Candidates and expressions of interest: registration, scoring, the pool, bulk import."""
