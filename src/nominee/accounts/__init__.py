"""Users, roles, representation and API tokens."""
