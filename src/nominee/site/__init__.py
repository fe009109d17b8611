"""The site: the top layer that composes the apps below it.

Home, the dashboard switch, the program-office hub, and the ``daily`` and ``demo`` commands.
Nothing imports it; it may import every app.
"""
