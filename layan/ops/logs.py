"""Log lines a visitor can make arbitrarily long (the path of a 404) are bounded."""

import logging
import re

# Long enough for every real Layan URL; a longer path is cut and its length noted.
MAX_LOGGED_ARG = 200
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def bounded(value: object) -> object:
    if not isinstance(value, str):
        return value
    # A path may carry %0A: never let a visitor start a new log line.
    text = CONTROL.sub("?", value)
    if len(text) > MAX_LOGGED_ARG:
        text = f"{text[:MAX_LOGGED_ARG]}…(+{len(text) - MAX_LOGGED_ARG})"
    return text


class BoundedArgs(logging.Filter):
    """Cut every string argument of a record (django.request: 'Not Found: %s' with the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Once per record, even when logging was configured twice (the note then stays exact).
        if isinstance(record.args, tuple) and not getattr(record, "layan_bounded", False):
            record.args = tuple(bounded(a) for a in record.args)
            record.layan_bounded = True
        return True
