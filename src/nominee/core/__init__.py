"""Cross-cutting pieces every app uses: domain errors, time helpers, the CLI glue."""
