"""The simulator: staff chat with the conversation engine in the browser, as a citizen would.

A page of the messaging core: it writes to the office's test channel through messaging's services
and needs nothing from the test channel's package.
"""

import uuid
from itertools import takewhile

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from layan.messaging.forms import SimulatorForm
from layan.messaging.models import ContactURN, Message
from layan.messaging.services import Incoming, get_simulator_channel, receive
from layan.offices.access import get_office_for_user

THREAD_LIMIT = 40


def simulator_urn(user) -> str:
    return f"ext:simulator-{user.pk}"


@login_required
def simulator(request, office):
    office = get_office_for_user(request, office, write=request.method == "POST")
    form = SimulatorForm(request.POST or None)
    identity = simulator_urn(request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            channel = get_simulator_channel(office)
            # A fresh provider id per send: staff testing the same text twice want two answers.
            item = Incoming(identity, form.cleaned_data["text"], provider_id=uuid.uuid4().hex, payload="simulator")
            receive(channel, [item])
            form = SimulatorForm()
        else:
            status = 400
    urn = ContactURN.objects.filter(identity=identity).first()
    thread = list(Message.objects.filter(urn=urn).order_by("-created_at", "-id")[:THREAD_LIMIT])[::-1] if urn else []
    # The answer to the last message, announced to screen readers (the page's aria-live region).
    replies = list(takewhile(lambda m: m.direction == Message.Direction.OUT, reversed(thread)))[::-1]
    template = "messaging/simulator.html#chat" if request.htmx else "messaging/simulator.html"
    context = {"office": office, "form": form, "thread": thread, "replies": replies}
    return render(request, template, context, status=status)
