"""The tamper-evident audit chain (pure parts; no Flask, no SQLAlchemy)."""
