"""Pages of sites, clients, contact entry and the cascades; `urls.py` lists them."""
