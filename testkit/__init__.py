"""Test helpers that never ship in the production package `layan`.

- `testkit.personas`: the standing personas (admin, staff, viewer of office A; the outsider of office B)
  and small `create_*` helpers.
- `testkit.fixtures`: the pytest fixtures every test can use (`personas`, `demo_office`, `fake_api`);
  the repository's conftest.py registers it as a plugin.
- `testkit.fakeapi`: a fake Meta Graph API and Telegram Bot API on loopback, and `post_signed` to send
  a webhook as Meta signs it.
"""
