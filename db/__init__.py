"""Storage layer: engine, sessions, typed models and Alembic migrations. No UI imports here."""
