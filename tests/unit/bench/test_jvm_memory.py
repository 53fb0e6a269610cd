"""The bench's split of a JVM's memory, from jcmd's outputs as JDK 17 prints them."""

import pytest

from bench import jvm_memory

HISTOGRAM = """15277:
 num     #instances         #bytes  class name (module)
-------------------------------------------------------
   1:         13056         794904  [B (java.base@17.0.15)
   2:          3002         360856  java.lang.Class (java.base@17.0.15)
   3:          2048        1048576  io.prometheus.metrics.model.snapshots.Labels
   4:            10            640  sun.net.httpserver.ServerImpl
   5:             1             16  io.prometheusish.Other
Total         18117        2204992
"""
HEAP_INFO = """15277:
 garbage-first heap   total 65536K, used 7745K [0x00000000fc000000, 0x0000000100000000)
  region size 1024K, 5 young (5120K), 1 survivors (1024K)
 Metaspace       used 8909K, committed 9088K, reserved 1114112K
  class space    used 1062K, committed 1152K, reserved 1048576K
"""
CODE_CACHE = """15277:
CodeHeap 'non-profiled nmethods': size=120036Kb used=338Kb max_used=338Kb free=119697Kb
 bounds [0x00007f02c8ec7000, 0x00007f02c9137000, 0x00007f02d0400000]
CodeHeap 'profiled nmethods': size=120032Kb used=1635Kb max_used=1635Kb free=118397Kb
CodeHeap 'non-nmethods': size=5692Kb used=1136Kb max_used=1153Kb free=4555Kb
 total_blobs=1430 nmethods=1015 adapters=329
"""
STATUS = "Name:\tjava\nVmRSS:\t  524288 kB\nThreads:\t22\n"


def test_parse_splits_the_heap_and_what_lives_outside_it():
    memory = jvm_memory.parse(HISTOGRAM, HEAP_INFO, CODE_CACHE, STATUS, 512.0)
    assert memory.resident == 512.0
    assert memory.live_heap == pytest.approx(2204992 / 2**20)
    # The agent's classes and the JDK's HTTP server it serves on; a look-alike package is not the agent's.
    assert memory.agent_objects_kib == pytest.approx((1048576 + 640) / 1024)
    assert memory.metaspace == pytest.approx(8909 / 1024)
    assert memory.code == pytest.approx((338 + 1635 + 1136) / 1024)
    assert memory.threads == 22
