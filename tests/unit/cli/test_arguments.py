"""The command line: connection options go before or after the subcommand, with defaults when left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from caracal_cli.arguments import parse_arguments


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--config-file", "c.properties", "--timeout", "3", "list-topics"], id="before"),
        pytest.param(["list-topics", "--config-file", "c.properties", "--timeout", "3"], id="after"),
        pytest.param(["--config-file", "c.properties", "list-topics", "--timeout", "3"], id="split"),
    ],
)
def test_connection_options_work_before_or_after_the_subcommand(argv: list[str]) -> None:
    arguments = parse_arguments(argv)

    assert arguments.command == "list-topics"
    assert arguments.config_file == Path("c.properties")
    assert arguments.timeout == 3.0


def test_left_out_options_take_their_defaults() -> None:
    arguments = parse_arguments(["describe-topic", "caracal.dlq"])

    assert (arguments.topic, arguments.all_configs) == ("caracal.dlq", False)
    assert (arguments.config_file, arguments.stack, arguments.user) == (None, None, "admin")
    assert (arguments.bootstrap_servers, arguments.registry_url, arguments.pulumi_cwd) == (None, None, None)
    assert arguments.timeout == 15.0


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["list-topics"], (None, False), id="defaults"),
        pytest.param(["list-topics", "--filter", "caracal.", "--all"], ("caracal.", True), id="filter and all"),
    ],
)
def test_list_topics_options(argv: list[str], expected: tuple[str | None, bool]) -> None:
    arguments = parse_arguments(argv)
    assert (arguments.filter, arguments.all) == expected


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="no subcommand"),
        pytest.param(["describe-topic"], id="missing topic"),
        pytest.param(["list-topics", "--timeout", "0"], id="zero timeout"),
        pytest.param(["list-topics", "--timeout", "soon"], id="timeout not a number"),
        pytest.param(["create-topics"], id="unknown subcommand"),
    ],
)
def test_usage_errors_exit_with_status_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        parse_arguments(argv)
    assert raised.value.code == 2
    assert "usage: caracal-kafka" in capsys.readouterr().err
