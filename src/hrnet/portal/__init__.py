"""The composition layer: what puts the feature apps together.

The kernel (core, accounts, geo) and the features never import this package; it imports
them. It holds the demo loader, reference-data loading, the daily housekeeping run, the
home page, the sub-region and country pages that count across apps, and the API that
mounts every app's router. Only `hrnet.urls` and the settings refer to it.
"""
