"""The console: the `reprisal-bot shell` adapter and its deliverer (prints instead of posting)."""
