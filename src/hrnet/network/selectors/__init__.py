"""Reads of the network's pages, projects, team and contact messages; the start page's
agreed name is importable from here."""

from hrnet.network.selectors.team import unanswered_messages

__all__ = ["unanswered_messages"]
