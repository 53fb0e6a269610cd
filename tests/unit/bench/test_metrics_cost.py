"""The metrics bench's arithmetic: a record's CPU from a run's cores, and the cost per pair of visits."""

import pytest

from bench.metrics_cost import Run, cpu_per_record, paired, per_record, widened


def run(rate: float, brokers: float, records: int = 100_000, seconds: float = 10.0, requests: float = 0.0) -> Run:
    return Run(
        rate,
        rate / 1024,
        cores={"brokers": brokers},
        threads={"data-plane-kafk": requests},
        records=records,
        seconds=seconds,
    )


def test_a_records_cpu_is_the_runs_cpu_over_its_records():
    # 1.5 cores over 10 s is 15 CPU seconds; over 100,000 records, 150 µs each, whatever the producer reported.
    measured = run(11_000.0, 1.5, requests=0.6)
    assert cpu_per_record(measured) == {"brokers": pytest.approx(150.0)}
    assert per_record(measured, "data-plane-kafk") == pytest.approx(60.0)
    assert per_record(measured, "prometheus-http") == 0.0


@pytest.mark.parametrize(
    ("without", "with_it", "by_cpu", "expected"),
    [
        # Throughput: each visit its median rate, the cost the share lost.
        ([10_000.0, 10_000.0], [9_500.0, 9_500.0], False, "+5.0%"),
        # CPU: each visit its median CPU per record, the cost the share added (the cores at the same rate here).
        ([1.0, 1.0], [1.02, 1.02], True, "+2.0%"),
    ],
)
def test_each_pair_of_visits_gives_its_own_cost(without, with_it, by_cpu, expected):
    def visit(values):
        return [run(value, 1.0) if not by_cpu else run(6_000.0, value) for value in values]

    runs = {"without": visit(without) * 2, "with": visit(with_it) * 2}
    assert paired(runs, per_visit=2, by_cpu=by_cpu) == f"{expected}, {expected}"


def test_no_pair_when_a_side_has_no_visit():
    assert paired({"without": [run(1.0, 1.0)], "with": []}, per_visit=1) == "none"


def test_widening_a_run_keeps_its_threads_cpu_and_spreads_it_over_the_longer_window():
    measured = run(6_000.0, 0.0, records=60_000, seconds=10.0, requests=0.6)
    before = per_record(measured, "data-plane-kafk")
    widened(measured, 12.0)
    assert measured.threads["data-plane-kafk"] == pytest.approx(0.5)
    assert per_record(measured, "data-plane-kafk") == pytest.approx(before) == pytest.approx(100.0)
