"""Slack: the Bolt app over HTTP or Socket Mode, payload translation, replies, people; its
listeners and its delivery."""
