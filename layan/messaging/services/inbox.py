"""The staff inbox's writes: an officer takes a conversation, or marks it done."""

from django.db import transaction
from django.utils import timezone

from layan.offices.models import Office

from ..models import Contact, InboxAssignment, Message


@transaction.atomic
def take_conversation(office: Office, contact: Contact, *, user) -> InboxAssignment:
    """`user` takes the conversation: the inbox shows it as theirs (taking it over from a colleague
    is allowed: the inbox shows who has it, the office decides)."""
    assignment, _created = InboxAssignment.objects.update_or_create(
        office=office, contact=contact, defaults={"taken_by": user, "taken_at": timezone.now()}
    )
    return assignment


@transaction.atomic
def mark_conversation_done(office: Office, contact: Contact, *, user) -> InboxAssignment:
    """The conversation needs nothing more: it leaves the inbox (its waiting messages no longer
    need a reply) and is no longer taken; the citizen's next unanswered question brings it back."""
    Message.objects.filter(office=office, contact=contact, direction=Message.Direction.IN, needs_reply=True).update(
        needs_reply=False
    )
    assignment, _created = InboxAssignment.objects.update_or_create(
        office=office,
        contact=contact,
        defaults={"taken_by": None, "taken_at": None, "done_by": user, "done_at": timezone.now()},
    )
    return assignment
