"""Businesses, work locations, contacts and job offers: the employer portal."""
