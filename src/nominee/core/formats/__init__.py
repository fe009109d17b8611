"""Dates and numbers per language (``settings.FORMAT_MODULE_PATH``, Decision 69).

Django's own formats with the program's choices: French groups thousands with a narrow
no-break space (U+202F) and writes "3 septembre 2025"; English "1,134" and
"September 3, 2025". ``USE_THOUSAND_SEPARATOR`` stays off: years and identifiers are
numbers too; counts and amounts ask for grouping explicitly (``number_format(...,
force_grouping=True)``).
"""
