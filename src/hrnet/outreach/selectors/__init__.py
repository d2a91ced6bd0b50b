"""Reads of service delivery: sites, clients, counts of contacts, the cascades."""
