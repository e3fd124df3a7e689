"""Adapters and wiring: Slack (bolt), the console chat, the CLI, the scheduler process."""
