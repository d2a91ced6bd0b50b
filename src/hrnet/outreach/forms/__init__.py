"""Forms of the site pages, the client pages and contact entry."""
