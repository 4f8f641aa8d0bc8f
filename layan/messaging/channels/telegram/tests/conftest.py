from layan.messaging.channels.fakeapi.pytest_fixtures import fake_api  # noqa: F401
