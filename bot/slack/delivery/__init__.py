"""Posting to Slack: the Deliverer, digests sent exactly once, channel safety before a post."""
