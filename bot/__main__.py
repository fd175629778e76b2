"""`python -m bot`: the same command line as `boundary-bot`."""

from bot.cli import main

raise SystemExit(main())
