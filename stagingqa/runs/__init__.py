"""Run records: every verify kept in a database, and what is built on them (diff, reproduce, capture,
bisect)."""
