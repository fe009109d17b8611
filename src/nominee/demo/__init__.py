"""The demo program (``nominee demo load``): 2025's pool and draws, and today's program.

Not an app and not imported by any: the ``site`` app's ``demo`` command runs the steps of
:data:`STEPS` in order. Demo code may reach past the services for speed (bulk inserts), so
it is kept out of the domain apps.
"""

STEPS = (
    "nominee.demo.accounts",
    "nominee.demo.employers",
    "nominee.demo.eois",
    "nominee.demo.draws",
    "nominee.demo.publication",
    "nominee.demo.casework",
    "nominee.demo.today",
)
