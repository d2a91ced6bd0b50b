"""Reads of rights cases; `intake_waiting` is the agreed name other apps ask (the start
page counts the public reports waiting for a reviewer)."""

from hrnet.rights.selectors.intake import intake_waiting

__all__ = ["intake_waiting"]
