"""Owner and client commands, parsed once for every platform and run against the store."""

from bot.commands.parse import CommandError, parse_command
from bot.commands.run import CommandResult, Invocation, execute, run_command

__all__ = ["CommandError", "CommandResult", "Invocation", "execute", "parse_command", "run_command"]
