"""Delivery: the outbox worker, send-time plans (policy re-checked), the Deliverer port; no
platform SDK."""
