"""Reads of the member register; the queues' agreed names are importable from here."""

from hrnet.members.selectors.renewals import lapsed_memberships, renewals_due

__all__ = ["lapsed_memberships", "renewals_due"]
