"""The importers of evidence (`hrnet.core.imports.Importer` subclasses): values in the tidy
table, DHIS2 data values and mappings, funding records, exchange rates and needs. The app
registers them by importing these modules in `apps.py`."""
