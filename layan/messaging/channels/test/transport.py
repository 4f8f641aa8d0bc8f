"""The test channel: 'sends' by recording. Used by the simulator, demos, tests and benchmarks.

config: `delay_ms` (pretend each send takes this long, for benchmarks).
"""

import time

from layan.messaging.channels.base import Transport


class TestTransport(Transport):
    kind = "test"
    delivers_immediately = True
    supports_choices = True
    __test__ = False  # not a pytest class

    def send(self, message) -> str:
        delay_ms = float((self.channel.config or {}).get("delay_ms", 0) or 0)
        if delay_ms > 0:
            time.sleep(delay_ms / 1000)
        return f"test-{message.uuid}"
