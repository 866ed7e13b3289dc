"""Schedules: the only APScheduler import, crontab triggers, leadership, schedule settings, audit
checkpoints."""
