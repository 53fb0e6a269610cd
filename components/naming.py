"""The one type-token prefix of every component of the platform."""

TOKEN_PREFIX = "caracal:kafka"


def token(kind: str) -> str:
    """Type token of a component, e.g. caracal:kafka:Cluster."""
    return f"{TOKEN_PREFIX}:{kind}"
