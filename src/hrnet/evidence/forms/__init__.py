"""Forms of the funding, import and reporting pages."""
