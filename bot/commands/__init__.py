"""Owner and client commands, parsed once for every platform and run against the store."""

from bot.commands.parse import parse_command
from bot.commands.run import execute, run_command
from bot.commands.types import CommandError, CommandResult, Invocation

__all__ = ["CommandError", "CommandResult", "Invocation", "execute", "parse_command", "run_command"]
