"""Sealing the identity of an anonymous reporter.

Two values are stored instead of the user id, both derived from BOT_SEAL_KEY, which lives
in the bot's environment and never in the database:

- `seal`: the user id encrypted (Fernet: AES-128-CBC with HMAC-SHA256). Only the CISO's
  reveal opens it, and every reveal is logged.
- `tag`: a keyed hash (HMAC-SHA256) of the user id, so the reporter finds their own report
  with `/meld status`. Unkeyed, a hash of a user id could be reversed by trying every id in
  the roster; keyed, a copy of the database alone links no report to anyone.

Without a key an anonymous report keeps no identity at all: nobody can reveal it, and the
reporter keeps the reference from the reply to look it up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken

from commands.context import Context


class SealBroken(Exception):
    """The sealed value cannot be opened with this key (the key was changed)."""


def _derive(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class Seal:
    secret: str

    def seal(self, user_id: str) -> str:
        return self._fernet().encrypt(user_id.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet().decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SealBroken from None

    def tag(self, user_id: str) -> str:
        return hmac.new(_derive(self.secret, "infobot reporter tag v1"), user_id.encode(), hashlib.sha256).hexdigest()

    def _fernet(self) -> Fernet:
        return Fernet(base64.urlsafe_b64encode(_derive(self.secret, "infobot reporter seal v1")))


def seal_for(ctx: Context) -> Seal | None:
    return Seal(ctx.options.seal_key) if ctx.options.seal_key else None
