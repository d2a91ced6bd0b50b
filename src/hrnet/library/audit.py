"""The audit actions library logs."""

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    RESOURCE_CREATE = "library.resource.create"
    RESOURCE_SUBMIT = "library.resource.submit"
    RESOURCE_CHANGE = "library.resource.change"
    RESOURCE_PUBLISH = "library.resource.publish"
    RESOURCE_REJECT = "library.resource.reject"
