"""boundary-bot's platform-neutral core: policy, calendar, intents, decisions and commands."""
