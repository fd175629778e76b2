# boundary-bot: a slim image that runs as an unprivileged user. The same two processes as the Procfile:
#   web     boundary-bot serve   (Slack over HTTP, /healthz, the scheduler)   the default
#   worker  boundary-bot run     (Discord, Slack Socket Mode)
# Migrations run at start (under a lock, so replicas can start together). docs/deploy.md has the rest.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin bot

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
RUN pip install . && rm -rf /src

USER bot
WORKDIR /home/bot
ENV PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"
CMD ["boundary-bot", "serve"]
