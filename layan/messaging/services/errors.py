class MessagingError(Exception):
    """A bad request from a person (empty reply, no channel): the message is shown to them."""
