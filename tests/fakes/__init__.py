"""What the tests stand in for: the Slack Web API and Socket Mode end, and signed requests."""
