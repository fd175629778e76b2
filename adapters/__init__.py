"""Platform adapters: translate Slack, Discord and console events to and from the core's types."""
