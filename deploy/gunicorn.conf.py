"""gunicorn settings for hrnet's app servers (`hrnet-web.service` passes this file).

Sync workers: each handles one request at a time, which is simple and safe for Django,
and slow clients are not their problem: nginx reads every request whole before passing
it on and takes every response whole from the worker (buffering both ways), so a worker
is busy only for the time the application itself needs.
"""

import os

# nginx on the same machine talks to this address; nothing else should.
bind = os.environ.get("HRNET_BIND", "127.0.0.1:8000")

# (2 x cores) + 1 is gunicorn's rule of thumb for sync workers; a worker holds a database
# connection, so keep workers x app servers below PostgreSQL's max_connections (100 by
# default) with room for the task workers and the timers. 3 suits a 1-2 core machine.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"

# A request running longer than this is a bug or an overload: the worker is killed
# ("WORKER TIMEOUT" in the log) and nginx answers 502. Long work (imports, large exports)
# runs as background jobs, so 30 s is generous; nginx's proxy_read_timeout is a little
# longer so the app's own limit is the one that acts.
timeout = 30
graceful_timeout = 25
keepalive = 5

# Recycle workers now and then, so a slow leak never grows into an outage; the jitter keeps
# them from restarting together.
max_requests = 2000
max_requests_jitter = 200

# The heartbeat file lives in memory, not on a disk that may stall under load.
worker_tmp_dir = "/dev/shm"  # noqa: S108  # gunicorn's own files, not shared data

# Only nginx (on this machine) may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("HRNET_TRUSTED_PROXIES", "127.0.0.1")

# Logs to standard output/error, which systemd keeps in the journal.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# The client as nginx saw it, not 127.0.0.1; no query strings (they may carry filters).
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
