"""The relay: pushes the outbox to the parent and pulls decisions from it."""
