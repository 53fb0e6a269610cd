"""PEM certificates carried on one properties line are rebuilt with proper line breaks."""

from __future__ import annotations

import pytest

from components.clients.pem import normalise_pem

BODY = "QUJD" * 40  # 160 base64 characters
WRAPPED = f"{BODY[:64]}\n{BODY[64:128]}\n{BODY[128:]}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            f"-----BEGIN CERTIFICATE----- {BODY[:50]} {BODY[50:]} -----END CERTIFICATE-----",
            f"-----BEGIN CERTIFICATE-----\n{WRAPPED}\n-----END CERTIFICATE-----\n",
            id="space-joined lines",
        ),
        pytest.param(
            f"-----BEGIN CERTIFICATE-----{BODY}-----END CERTIFICATE-----",
            f"-----BEGIN CERTIFICATE-----\n{WRAPPED}\n-----END CERTIFICATE-----\n",
            id="no separators at all",
        ),
        pytest.param(
            f"-----BEGIN CERTIFICATE-----\n{WRAPPED}\n-----END CERTIFICATE-----\n",
            f"-----BEGIN CERTIFICATE-----\n{WRAPPED}\n-----END CERTIFICATE-----\n",
            id="already proper PEM is unchanged",
        ),
        pytest.param(
            "-----BEGIN CERTIFICATE----- QUJD -----END CERTIFICATE----- -----BEGIN CERTIFICATE----- REVG"
            " -----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"
            "-----BEGIN CERTIFICATE-----\nREVG\n-----END CERTIFICATE-----\n",
            id="a chain of two certificates",
        ),
    ],
)
def test_pem_blocks_are_rewrapped_at_64_characters(text: str, expected: str) -> None:
    assert normalise_pem(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(BODY, "no -----BEGIN", id="no markers"),
        pytest.param(f"-----BEGIN CERTIFICATE----- {BODY}", "no -----BEGIN", id="no end marker"),
        pytest.param("-----BEGIN CERTIFICATE----- QUJ$ -----END CERTIFICATE-----", "not valid base64", id="bad base64"),
        pytest.param("-----BEGIN CERTIFICATE-----  -----END CERTIFICATE-----", "block is empty", id="empty block"),
        pytest.param(
            "junk -----BEGIN CERTIFICATE----- QUJD -----END CERTIFICATE-----", "text outside", id="text before"
        ),
        pytest.param(
            "-----BEGIN CERTIFICATE----- QUJD -----END CERTIFICATE----- junk", "text outside", id="text after"
        ),
    ],
)
def test_malformed_pem_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_pem(text)
