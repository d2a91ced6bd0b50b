"""Reads of evidence: indicators and values, the dashboards, reporting forms, funding."""
