from typing import Any

from django.core.management.base import BaseCommand

from hrnet.accounts.services import login_failure_purge
from hrnet.assistance.services import due_reminders_send
from hrnet.core.throttle import throttle_purge
from hrnet.core.trash import trash_purge
from hrnet.core.worker import tasks_take_back
from hrnet.discussions.services.notifications import daily_summaries_send, notifications_send
from hrnet.events.services.registration import events_tick
from hrnet.governance.services.notices import notices_send
from hrnet.library.services.files import resource_files_orphans_delete
from hrnet.members.services.memberships import membership_status_refresh, renewal_reminders_send
from hrnet.news.services.digest import digest_send
from hrnet.outreach.tasks import pending_months_drain_if_waiting


class Command(BaseCommand):
    help = (
        "The daily run: membership statuses from their dates and renewal reminders; purge "
        "the trash past its retention period and the library files it leaves; forget old "
        "failed sign-ins (they hold IP addresses) and past throttle windows; send this "
        "week's news digest to members who have not had it (at most once a week each, so "
        "the daily run is safe); send the discussions' daily summaries (once a day each) and "
        "any discussion email left waiting (schedule `hrnet discussions_notify` every few "
        "minutes for those); expire "
        "event offers and send event reminders (schedule `hrnet events_tick` every few "
        "minutes for those); send the election emails that are due (schedule `hrnet "
        "governance_tick` every 15 minutes for those). Schedule it once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = membership_status_refresh()
        reminders = renewal_reminders_send()
        purged = trash_purge()
        orphans = resource_files_orphans_delete()  # files of resources the purge deleted
        forgotten = login_failure_purge()
        windows = throttle_purge()
        digests = digest_send()
        # Also run every few minutes by `hrnet events_tick`; here as a safety net.
        events = events_tick()
        assistance = due_reminders_send()
        summaries = daily_summaries_send()
        # Also run every few minutes by `hrnet discussions_notify`; here as a safety net.
        discussion_emails = notifications_send()
        # Also run every 15 minutes by `hrnet governance_tick`; here as a safety net.
        election_emails = sum(notices_send().values())
        # Every worker takes back the tasks of stopped workers; here as a safety net, with
        # the outreach roll-ups a lost task could have left waiting.
        taken_back = tasks_take_back()
        rollups = pending_months_drain_if_waiting()
        self.stdout.write(
            f"Membership statuses changed: {changed}; renewal reminders sent: {reminders}; "
            f"purged from the trash: {purged} (library files deleted: {orphans}); "
            f"failed sign-ins forgotten: {forgotten}, throttle windows: {windows}; "
            f"news digests sent: {digests.sent}; "
            f"event offers expired: {events.expired}, event reminders sent: "
            f"{events.reminded_24h + events.reminded_1h}; assistance due reminders sent: "
            f"{assistance.due + assistance.overdue}; discussion summaries sent: {summaries}, "
            f"discussion emails sent: {discussion_emails}; election emails sent: "
            f"{election_emails}; tasks of stopped workers queued again: {taken_back.requeued}, "
            f"failed: {taken_back.failed}; outreach roll-up queued: {'yes' if rollups else 'no'}."
        )
