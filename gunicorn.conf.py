"""gunicorn settings for production: `gunicorn --config gunicorn.conf.py wsgi:app`."""
import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# Create the app once in the master: SQLite's WAL switch and other one-time set-up happen
# before the workers fork.
preload_app = True
timeout = 30
graceful_timeout = 20
# GUNICORN_ACCESS_LOG="" turns the access log off (bench/pages.py measures without it).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None


def pre_fork(server, worker):
    """Freeze the preloaded app's objects out of the garbage collector's scans: full collections
    then cost a fraction (measured on the 1,000-athlete coach dashboard, bench/dashboard.py), and
    the workers' copies of those pages stay shared."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """No forked worker may reuse a database connection opened in the master."""
    from app.extensions import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)
