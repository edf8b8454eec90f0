"""Email, optional: notices as a daily digest, and a new circulation at once, through an outbox."""
