"""The append-only event log: who did what, when, with the state before and after."""
