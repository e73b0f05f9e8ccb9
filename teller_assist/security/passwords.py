"""Operator passwords: Argon2id (argon2-cffi's defaults or stronger), re-hashed when the parameters rise,
and the lockout rule (five failures lock an account for 15 minutes). Pure apart from the hashing."""

from __future__ import annotations

import datetime as dt
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from teller_assist.vocabulary import ROLE_ZH as ROLE_ZH  # the words live with the others
from teller_assist.vocabulary import ROLES as ROLES

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8
_LOGIN = re.compile(r"[a-z][a-z0-9_.-]{1,31}")

HASHER = PasswordHasher()  # Argon2id with the library's current defaults


class PasswordRejected(ValueError):
    """A new password that breaks the rules; the message is for the person choosing it."""


def check_login(login: str) -> str:
    login = login.strip().lower()
    if not _LOGIN.fullmatch(login):
        raise ValueError("登录名应为2至32位小写字母、数字或 . _ -，以字母开头")
    return login


def check_new_password(password: str, login: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PasswordRejected(f"密码至少{MIN_PASSWORD}位")
    if password.lower() == login.lower() or login.lower() in password.lower():
        raise PasswordRejected("密码不能包含登录名")
    if password.isdigit() or password.isalpha():
        raise PasswordRejected("密码应同时包含字母和数字")


def hash_password(password: str, hasher: PasswordHasher = HASHER) -> str:
    return hasher.hash(password)


def verify_password(stored: str, password: str, hasher: PasswordHasher = HASHER) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str, hasher: PasswordHasher = HASHER) -> bool:
    """True when the stored hash was made with weaker parameters than the hasher's (or is not Argon2id)."""
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and now < locked_until


def after_failure(failed_logins: int, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """The failure count and lock after one more failed login."""
    failures = failed_logins + 1
    if failures >= MAX_FAILURES:
        return failures, now + dt.timedelta(minutes=LOCK_MINUTES)
    return failures, None
