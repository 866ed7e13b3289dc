"""`python -m bot.cli`: the same as `reprisal-bot`."""

from bot.cli.entry import main

raise SystemExit(main())
