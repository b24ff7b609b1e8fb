"""Observability: request ids, log lines, Prometheus metrics and Rollbar reports: glue over libraries."""
