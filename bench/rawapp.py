"""The ceiling: a WSGI app that does nothing but return a small fixed body.

Served by granian with the same settings as Layan, it measures what the server and the
loopback can do on this machine, so Layan's figures can be read as a fraction of it.
"""

BODY = b'{"status":"ok"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
