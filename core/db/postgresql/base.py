"""Django's PostgreSQL backend, with a health check that costs a round trip only when one is needed.

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` on a reused connection before the first query of
every request: py-spy and cProfile showed that round trip as about 7% of `GET /cars`, on every
database route. A persistent connection that went bad while idle (the server restarted, the
backend was terminated or timed out) has been told so: PostgreSQL sends a FATAL message and closes
the socket, so the socket turns readable. An idle, healthy connection has nothing to read. This
backend therefore polls the socket (one system call, no round trip) and runs Django's `SELECT 1`
only when the server has said something, or when the driver already knows the connection is closed.
A connection lost without a word (a silent network partition) is noticed by the first query, as
`SELECT 1` would notice it; the request answers 503 and the connection is replaced after it.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and not self._server_has_spoken()
        ):
            self.health_check_done = True  # quiet socket: nothing happened since the last request
            return
        super().close_if_health_check_failed()  # Django's SELECT 1, closing the connection if it fails

    def _server_has_spoken(self) -> bool:
        """Whether the idle connection is closed, or data (an error, end of file) is waiting on it."""
        if self.connection.closed:
            return True
        try:
            poller = select.poll()
            poller.register(self.connection.fileno(), select.POLLIN | select.POLLPRI)
            return bool(poller.poll(0))
        except (OSError, ValueError, base.Database.Error):
            return True
