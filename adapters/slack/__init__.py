"""The Slack adapter: a Bolt app (Socket Mode or HTTP) that translates Slack payloads for the core and posts its replies."""
