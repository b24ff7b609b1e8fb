# The production image: gunicorn serving the Django project as a non-root user.
#   docker build -t twelve-factor-api .
#   docker run --rm -p 8000:8000 -e DJANGO_SECRET_KEY=... -e DATABASE_URL=postgres://... twelve-factor-api
# Migrations are a one-off command run before the web process starts (as the Procfile's release
# phase does): docker run --rm ... twelve-factor-api python manage.py migrate --noinput
# docker-compose.yml does both. Tested by `make image-test` (scripts/image-test).
FROM python:3.13-slim

# Everything runs from the virtual environment; PATH is spelled out in full so that the image does
# not depend on how the base image sets it (only `python` on PATH with venv support is assumed).
ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

# The user the server runs as; a fixed numeric id so orchestrators can check runAsNonRoot. Its own
# home is writable (gunicorn puts its control socket in $HOME/.gunicorn); the code is not.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

# Dependencies in their own layer: it is rebuilt only when the lock changes, not the code. The lock
# pins and hashes every package, so two builds of one commit install the same files.
COPY requirements/prod.txt /tmp/requirements/prod.txt
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --no-cache-dir --require-hashes -r /tmp/requirements/prod.txt \
    && rm -rf /tmp/requirements

WORKDIR /app
# The code stays owned by root: the server user can read it but not change it.
COPY . /app/

# Static files collected at build with debug off, so WhiteNoise serves the compressed, hashed
# files (browsable API and admin CSS). The key exists only for this command.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0

USER 10001:10001
EXPOSE 8000

# Liveness: asks /live (which touches no backing service, so a Redis or PostgreSQL outage does not
# get a serving process restarted; /check is the readiness answer) on the local port, with a Host
# header the settings accept (the first of DJANGO_ALLOWED_HOSTS); urllib fails on any answer but 2xx.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); r.urlopen(r.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/live', headers={'Host': h if h not in ('', '*') else 'localhost'}), timeout=4)"]

# gunicorn.conf.py binds 0.0.0.0:$PORT and reads WEB_CONCURRENCY; SIGTERM finishes in-flight requests.
CMD ["gunicorn", "config.wsgi"]
