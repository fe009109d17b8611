"""The EOI bulk pipeline in one package: ``prepare`` (parse, check, score lines, in
worker processes for a large file), ``encoding`` (JSON and the engines' row formats),
``write`` (executemany on SQLite, COPY on PostgreSQL), ``service`` (``import_eois``).
"""

from .service import ImportRefused, ImportResult, import_eois

__all__ = ["ImportRefused", "ImportResult", "import_eois"]
