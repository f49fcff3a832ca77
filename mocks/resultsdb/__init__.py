"""Mock ResultsDB: API v2.0 as the PostgreSQL-backed ResultsDB 2.x answers it."""
