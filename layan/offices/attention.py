"""What needs an officer's attention now: the panels of the staff workspace home.

Each domain offers its panels as plain functions `(office) -> Panel` (messaging/attention.py,
telephone/attention.py, …); `layan.web.workspace.PANEL_PROVIDERS` lists them in the order the
home shows them. A new domain (applications, queue) writes its own function and adds one line
there: no domain imports `web`. Each provider should cost one or two queries.
"""

import datetime as dt
from dataclasses import dataclass, field

ITEMS_PER_PANEL = 5


@dataclass(frozen=True)
class AttentionItem:
    label: str
    since: dt.datetime  # how long it has waited: shown as an age ("2 jam, 5 menit")
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Panel:
    key: str  # a stable id, e.g. "messaging-waiting": the section's HTML id
    title: str
    count: int
    items: list[AttentionItem] = field(default_factory=list)
    url: str = ""  # the page that lists them all
    link_text: str = ""
    empty_text: str = ""
