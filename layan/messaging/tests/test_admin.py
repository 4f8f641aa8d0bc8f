"""The admin: channels saved through the service, the message log never deleted."""

from django.urls import reverse

from layan.messaging.models import Channel, Message
from testkit.personas import PASSWORD

from .helpers import ask, create_test_channel


def test_messages_cannot_be_deleted_from_the_admin(client, personas):
    channel = create_test_channel(personas.office)
    ask(channel, "JAM")
    message = Message.objects.filter(direction=Message.Direction.IN).get()
    client.login(username=personas.admin.username, password=PASSWORD)

    url = reverse("admin:messaging_message_delete", args=[message.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:messaging_message_changelist"))
    assert changelist.status_code == 200 and b"delete_selected" not in changelist.content
    assert Message.objects.filter(pk=message.pk).exists()


def test_a_channel_with_neither_office_nor_kabupaten_is_refused_with_a_message(client, personas):
    client.login(username=personas.admin.username, password=PASSWORD)
    form = {"name": "Simulator", "kind": "test", "office": "", "address": "", "config": "{}", "tps": "10"}
    response = client.post(reverse("admin:messaging_channel_add"), form)
    assert response.status_code == 200
    assert "Pilih satu: kantor atau kabupaten." in response.content.decode()
    assert not Channel.objects.exists()

    response = client.post(reverse("admin:messaging_channel_add"), form | {"office": personas.office.pk})
    assert response.status_code == 302
    assert Channel.objects.get().office == personas.office
