# gammu-smsd talks to the database, not to HTTP: this channel has no webhooks.
urlpatterns: list = []
