"""`reprisal-bot ...`: the argparse entry, operator commands, digest output, spreadsheets, demo
data."""

from bot.cli.entry import main

__all__ = ["main"]
