"""Draw definitions, selection, execution and invitations."""
