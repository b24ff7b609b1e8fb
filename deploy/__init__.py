"""Deployment: the local cluster's launcher (cluster.py) and the configuration of every deployment form."""
