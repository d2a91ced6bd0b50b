"""Background tasks after events: the feedback survey emails. Schedule
`feedback_requests` every 15 minutes or hourly (e.g. from `hrnet housekeeping`); it
sends each registration's survey once, whenever it runs."""

from __future__ import annotations

from django_tasks import task


@task()
def feedback_requests() -> int:
    """Email the survey to participants of events that ended at least an hour ago."""
    from hrnet.events.services.feedback import feedback_requests_send

    return feedback_requests_send()
