"""Writes of the mailings app: segments, mailings, and their delivery."""
