"""Applications, position approvals, review, nominations and the yearly allocation."""
