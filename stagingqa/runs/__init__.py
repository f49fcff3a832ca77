"""Run records: every verify kept in a database (schema, store, records, diff, queries)."""
