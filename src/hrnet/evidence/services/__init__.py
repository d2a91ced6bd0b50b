"""Writes of evidence: data values (the one write path, roll-ups, computed indicators),
values counted from outreach contacts, reporting forms, funding."""
