"""Observability: request ids, JSON logs, Prometheus metrics, Rollbar notification, gunicorn hooks."""
