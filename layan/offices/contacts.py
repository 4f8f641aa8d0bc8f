"""An office's contact channels as links a phone can open directly (tel:, sms:, wa.me, mailto:).

One list for every page that tells a citizen how to reach the office: the office home, the SOP
page and its complaints section.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Office


@dataclass(frozen=True)
class ContactLink:
    label: str
    text: str
    href: str


def contact_links(office: Office) -> list[ContactLink]:
    """The office's channels that are set, as links a phone can open directly."""
    links = []
    if office.phone:
        links.append(ContactLink(_("Telepon"), office.phone, "tel:" + _dial(office.phone)))
    if office.sms_number:
        links.append(ContactLink(_("SMS"), office.sms_number, "sms:" + _dial(office.sms_number)))
    if office.whatsapp_number:
        number = _dial(office.whatsapp_number).lstrip("+")
        number = "62" + number[1:] if number.startswith("0") else number
        links.append(ContactLink("WhatsApp", office.whatsapp_number, f"https://wa.me/{number}"))
    if office.email:
        links.append(ContactLink(_("Email"), office.email, f"mailto:{office.email}"))
    if office.facebook_page:
        links.append(ContactLink("Facebook", office.facebook_page, f"https://www.facebook.com/{office.facebook_page}"))
    if office.telegram_username:
        username = office.telegram_username.lstrip("@")
        links.append(ContactLink("Telegram", "@" + username, f"https://t.me/{username}"))
    return links


def _dial(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number)
