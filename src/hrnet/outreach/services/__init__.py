"""Writes of service delivery: sites and their staff, clients, contacts."""
