"""gunicorn settings for `make run` and the Procfile; every value can come from the env."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# SQLite has one writer: one process queues its pushes for it (fieldapp/syncstore/push.py:
# begin_write) and holds one copy of the app in memory; a second process would only wait on
# SQLite's polling lock and double the memory. PostgreSQL writes in parallel: two processes.
# Either way 8 request slots (docs/operations.md).
_sqlite = os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite")
workers = int(os.environ.get("WEB_CONCURRENCY", "1" if _sqlite else "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8" if _sqlite else "4"))
# Seconds an idle keep-alive connection stays open (gunicorn's default is 2). gthread closes an
# expired one when its main thread gets to it; under load a request arriving at that moment
# is reset (3 of about 19 fieldapp rounds of the peer bench died of it). A device syncs in
# bursts (push, pull, photos) and keeps its connection for the whole burst; a waiting
# connection costs no thread, only a socket.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
accesslog = "-"
timeout = 60


def when_ready(server):
    """Print the demo accounts once the server listens, so a new user can sign in."""
    if os.environ.get("FIELDAPP_ENV", "development") == "production":
        return
    if os.environ.get("FIELDAPP_DEMO", "1") != "1":
        return
    from fieldapp.seed import DEMO_PASSWORD, DEMO_USERS

    lines = [f"fieldapp is serving on http://{bind}", f"demo accounts (password: {DEMO_PASSWORD}):"]
    lines += [
        f"  {name:<16} {role.value:<10} {','.join(d) or 'whole province'}"
        for name, _display, role, d in DEMO_USERS
    ]
    server.log.info("\n".join(lines))


def post_worker_init(worker):
    """Take the loaded app's objects out of the garbage collector's scans.

    A push allocates tens of thousands of short-lived objects; every full collection would
    otherwise walk the whole loaded app too (about 7 us a record in the sync bench)."""
    import gc

    gc.collect()
    gc.freeze()
