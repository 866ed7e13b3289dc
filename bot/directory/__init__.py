"""The directory: the TOML file read and checked, the live roster, the roster as text."""
