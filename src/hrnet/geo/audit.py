"""The audit actions geo logs."""

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    GEOGRAPHY_IMPORT = "geo.geography.import"
    ALIAS_IMPORT = "geo.alias.import"
