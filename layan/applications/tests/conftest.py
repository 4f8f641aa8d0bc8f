import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request with the English cookie activates English
    in the thread (LocaleMiddleware), and it would otherwise leak into the next test's messages."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
