"""The Slack adapter: bolt app, listeners, Block Kit rendering and delivery through the Web API."""
