"""The secret that authenticates cache files, kept outside every checked repository.

A cache directory inside a checked-out repository is untrusted: it may be
committed by an attacker or restored from a shared CI cache.  Keying entries on
content hashes does not help, since an attacker who plants a cache knows the
content of the files they plant.  So every cache file carries a MAC (keyed
BLAKE2b) under a key the repository cannot see, and a file whose MAC does not
verify is treated as absent:

* ``FLASKLINT_CACHE_KEY``, when set, is the secret (at least 16 characters).
  CI runners that share a cache get it from a CI secret; pull requests from
  forks get no secrets, hence no cache - the safe outcome;
* otherwise a per-user key file, ``$XDG_CACHE_HOME/flasklint-headers/cache-key``
  (``~/.cache/...`` when the variable is unset or not absolute), created with
  mode 0600 on first use.  It must be a regular file owned by the user and
  readable by nobody else, or it is not used.

When there is no usable key the run goes on without a cache (the caller warns).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "FLASKLINT_CACHE_KEY"
KEY_FILE_NAME = "cache-key"
_MIN_SECRET_LENGTH = 16
_KEY_BYTES = 32
MAC_HEX_LENGTH = 2 * _KEY_BYTES


@dataclass(frozen=True)
class KeyLookup:
    """The key, or why there is none (one sentence for the run's warning)."""

    key: bytes | None
    problem: str | None = None


class _KeyError(Exception):
    pass


def cache_key() -> KeyLookup:
    """The key for this run: from the environment, else from the user's key file."""
    secret = os.environ.get(ENV_VAR)
    if secret:
        if len(secret) < _MIN_SECRET_LENGTH:
            # A short secret can be guessed, and then cache files can be forged.
            return KeyLookup(None, f"{ENV_VAR} is shorter than {_MIN_SECRET_LENGTH} characters")
        derived = hashlib.blake2b(secret.encode("utf-8", "surrogatepass"), digest_size=_KEY_BYTES)
        return KeyLookup(derived.digest())
    path = key_file_path()
    try:
        return KeyLookup(_read_or_create(path))
    except (_KeyError, OSError, ValueError) as exc:
        return KeyLookup(None, f"no usable cache key at {path}: {exc}")


def key_file_path() -> Path:
    home = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(home) if os.path.isabs(home) else Path.home() / ".cache"
    return base / "flasklint-headers" / KEY_FILE_NAME


def mac(key: bytes, purpose: str, data: bytes) -> str:
    """Hex MAC of ``data`` for one kind of cache file (a results file is no tree file)."""
    digest = mac_hasher(key, purpose)
    digest.update(data)
    return digest.hexdigest()


def mac_hasher(key: bytes, purpose: str) -> hashlib.blake2b:
    """The MAC's hash before any data: feed a large file in chunks, then ``hexdigest``."""
    digest = hashlib.blake2b(key=key, digest_size=_KEY_BYTES)
    digest.update(purpose.encode("ascii") + b"\0")
    return digest


def verify(key: bytes, purpose: str, data: bytes, claimed: bytes) -> bool:
    try:
        expected = mac(key, purpose, data).encode("ascii")
    except (TypeError, ValueError):
        return False
    return hmac.compare_digest(expected, claimed)


def _read_or_create(path: Path) -> bytes:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".cache-key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(_KEY_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # A hard link never replaces an existing file: of two runs creating the
        # key at once, one wins and both read the winner's key.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return _read(path)


def _read(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise _KeyError(f"cannot open it ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _KeyError("it is not a regular file")
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            raise _KeyError("it is owned by another user")
        if info.st_mode & 0o077:
            raise _KeyError("other users can read or change it (it must be mode 0600)")
        text = handle.read(4 * _KEY_BYTES).decode("ascii").strip()
    key = bytes.fromhex(text)
    if len(key) != _KEY_BYTES:
        raise _KeyError("it does not hold a key")
    return key
