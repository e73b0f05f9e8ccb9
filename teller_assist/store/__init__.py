"""The store: the only layer that knows tables, SQL and database engines."""
