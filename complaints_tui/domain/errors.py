"""Errors an officer can cause, each with a message fit to show them."""

from __future__ import annotations


class DomainError(Exception):
    """An action the rules refuse; the message is shown to the officer as it is."""


class ConflictError(DomainError):
    """Someone else saved the case after it was read: nothing was written."""


class NotFoundError(DomainError):
    """No case or stage with that reference."""


class PolicyError(DomainError):
    """The policy file is malformed: the message names the file and the key."""
