"""Announcements on the office's Facebook Page."""

from layan.messaging.channels import meta
from layan.messaging.channels.base import SendError
from layan.messaging.models import Channel

from .transport import TEMPORARY_CODES


def post_to_page(channel: Channel, message: str, link: str | None = None) -> str:
    """Publish `message` (and `link`) on the channel's Page feed; returns the post id.

    Raises SendError (permanent or temporary, as for Messenger) when Meta refuses. Needs a Page
    token with pages_manage_posts. Messenger users cannot be messaged outside their 24-hour window,
    so the feed is where announcements go on Facebook.
    """
    if channel.kind != "facebook":
        raise SendError("Kanal ini bukan kanal Facebook.", permanent=True)
    config = channel.config or {}
    body = {"message": message}
    if link:
        body["link"] = link
    try:
        answer = meta.post_graph(f"{config.get('page_id', '')}/feed", body, token=str(config.get("page_token", "")))
    except SendError as exc:
        raise meta.classify(meta.graph_error(exc), TEMPORARY_CODES, "Facebook") from exc
    post_id = str(answer.get("id") or "")
    if not post_id:
        raise SendError("Facebook tidak mengembalikan id kiriman.", permanent=False)
    return post_id
