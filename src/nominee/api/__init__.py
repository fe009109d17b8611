"""The JSON API root: mounts each app's ``api.router`` under ``/api/v1/``."""
