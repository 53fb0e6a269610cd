"""What an operator reads for list-subjects and describe-subject."""

from __future__ import annotations

import pytest

from caracal_cli.subject_report import format_subject_description, format_subject_list, pretty_schema
from components.clients.subject_description import SubjectDescription

RULE = "=" * 60


def test_subject_list_is_a_titled_indented_list() -> None:
    assert (
        format_subject_list(["a-value", "b-value"])
        == f"{RULE}\nSchema Subjects (2 total)\n{RULE}\n\n  a-value\n  b-value\n"
    )
    assert format_subject_list([]).endswith("\n  (no subjects)\n")


@pytest.mark.parametrize(
    ("is_global", "compatibility_line"),
    [
        pytest.param(False, "Compatibility: BACKWARD", id="subject's own level"),
        pytest.param(True, "Compatibility: BACKWARD (registry default)", id="registry default"),
    ],
)
def test_subject_description_shows_versions_compatibility_and_the_schema_indented(
    is_global: bool, compatibility_line: str
) -> None:
    subject = SubjectDescription(
        subject="caracal.dlq-value",
        version=2,
        versions=(1, 2),
        schema_id=7,
        schema_type="AVRO",
        schema='{"type":"record","name":"Dead","doc":"café","fields":[{"name":"x","type":"int"}]}',
        compatibility="BACKWARD",
        compatibility_is_global=is_global,
    )

    assert format_subject_description(subject) == "\n".join(
        [
            RULE,
            "Subject: caracal.dlq-value",
            RULE,
            "",
            "Latest version: 2",
            "All versions: 1, 2",
            "Schema id: 7",
            "Schema type: AVRO",
            compatibility_line,
            "",
            "Schema:",
            "",
            "  {",
            '    "type": "record",',
            '    "name": "Dead",',
            '    "doc": "café",',
            '    "fields": [',
            "      {",
            '        "name": "x",',
            '        "type": "int"',
            "      }",
            "    ]",
            "  }",
            "",
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('"string"', '"string"', id="primitive Avro schema"),
        pytest.param('syntax = "proto3";\n', 'syntax = "proto3";', id="protobuf left as it is"),
    ],
)
def test_schemas_that_are_not_objects_print_as_they_are(text: str, expected: str) -> None:
    assert pretty_schema(text) == expected
