"""The short verification code printed on each document: an HMAC (key in the keyring) over the
agreement number, line, rate, validity and resident ID, so a clerk can tell a genuine paper from an
altered one. Pure: the key is given. The line enters the message as the yuan it was first written in
(``20000``, or ``20000.50`` for a line with fen), so the codes on papers printed before lines were kept in
fen still verify."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from teller_assist.money import yuan_text


def verification_code(
    key: bytes, agreement_no: str, line_fen: int, rate_bp: int, valid_until: dt.date, id_no: str
) -> str:
    """Ten characters in two groups (base32, no 0/1/8/9 confusion): e.g. ``K3QF7-XM2PA``."""
    line = yuan_text(line_fen).replace(",", "")
    message = "|".join([agreement_no, line, str(rate_bp), valid_until.isoformat(), id_no]).encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    text = base64.b32encode(digest).decode("ascii")[:10]
    return f"{text[:5]}-{text[5:]}"


def normalise(code: str) -> str:
    text = "".join(code.split()).replace("-", "").upper()
    return f"{text[:5]}-{text[5:]}" if len(text) == 10 else text


def matches(
    key: bytes, code: str, agreement_no: str, line_fen: int, rate_bp: int, valid_until: dt.date, id_no: str
) -> bool:
    expected = verification_code(key, agreement_no, line_fen, rate_bp, valid_until, id_no)
    return hmac.compare_digest(normalise(code), expected)
