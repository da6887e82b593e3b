"""Wireroom: an open, self-hosted, real-time multilingual press-release wire."""
