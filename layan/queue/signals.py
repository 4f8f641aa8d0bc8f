"""Hooks other domains listen to (the satisfaction survey): sent after the change has committed."""

from django.dispatch import Signal

# Sent with sender=Ticket and ticket=<the finished Ticket> once finish_service() has committed.
ticket_finished = Signal()
