"""The Slack Web API client, with retries for rate limits, server errors and timeouts."""

from __future__ import annotations

from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator

DEFAULT_API_URL = "https://slack.com/api/"


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """Retry every 5xx, not only 500 and 503 (502 and 504 come from Slack's proxies)."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:  # noqa: ANN001
        return response is not None and response.status_code >= 500


def retry_handlers() -> list[RetryHandler]:
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        ConnectionErrorRetryHandler(
            max_retry_count=2,
            interval_calculator=backoff,
            error_types=[URLError, ConnectionResetError, TimeoutError, ConnectionRefusedError],
        ),
        RateLimitErrorRetryHandler(max_retry_count=3),  # waits for Retry-After
        AnyServerErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
    ]


def web_client(token: str | None, api_url: str | None = None, timeout: int = 10) -> WebClient:
    base_url = api_url or DEFAULT_API_URL
    if not base_url.endswith("/"):
        base_url += "/"
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=retry_handlers())
