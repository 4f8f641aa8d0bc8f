from django.utils import translation

from .helpers import CITIZEN, create_test_channel, receive_one, replies_to


def test_citizens_are_answered_in_indonesian_even_from_an_english_request(demo_office):
    channel = create_test_channel(demo_office)
    with translation.override("en"):
        event = receive_one(channel, urn=CITIZEN, text="syarat ktp", provider_id="en-1")
    [reply] = replies_to(event)
    assert "hari kerja" in reply and "working day" not in reply
