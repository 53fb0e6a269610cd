"""PEM certificates put back into shape after a trip through a one-line properties value.

A Java properties file carries PEM text on one logical line, so the line breaks that PEM readers such as
librdkafka rely on are gone (or became spaces). The base64 body is rebuilt as RFC 7468 has it.
"""

from __future__ import annotations

import base64
import binascii
import re
import textwrap

_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)


def normalise_pem(text: str) -> str:
    """Every PEM block of `text`, each with its BEGIN line, base64 in 64-character lines and its END line.

    Raises ValueError when there is no block, a block is not base64, or anything but whitespace lies between blocks.
    """
    blocks: list[str] = []
    position = 0
    for match in _BLOCK.finditer(text):
        if text[position : match.start()].strip():
            raise ValueError("text outside the -----BEGIN/END----- lines")
        label, body = match[1], re.sub(r"\s+", "", match[2])
        try:
            base64.b64decode(body, validate=True)
        except binascii.Error:
            raise ValueError(f"the {label} block is not valid base64") from None
        if not body:
            raise ValueError(f"the {label} block is empty")
        blocks.append(f"-----BEGIN {label}-----\n" + "\n".join(textwrap.wrap(body, 64)) + f"\n-----END {label}-----\n")
        position = match.end()
    if not blocks:
        raise ValueError("no -----BEGIN ...----- / -----END ...----- block")
    if text[position:].strip():
        raise ValueError("text outside the -----BEGIN/END----- lines")
    return "".join(blocks)
