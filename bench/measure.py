"""Timing of one operation on stock Odoo's database and on the suite's copy, interleaved, in rolled-back
transactions, so each repetition starts from the same data and the machine's noise hits both sides alike."""

import statistics
import time
import tracemalloc
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api


@contextmanager
def environment(registry):
    """A superuser environment on a new cursor, rolled back on exit."""
    cr = registry.cursor()
    try:
        yield api.Environment(cr, SUPERUSER_ID, {})
    finally:
        cr.rollback()
        cr.close()


def run_once(registry, prepare, operation, memory=False):
    """(seconds, queries, operation's result, peak Python memory in bytes or None) of ``operation(env, prepared)``;
    ``prepare(env)`` is not counted."""
    with environment(registry) as env:
        prepared = prepare(env)
        env.flush_all()
        env.invalidate_all()
        queries = env.cr.sql_log_count
        if memory:
            tracemalloc.start()
        start = time.perf_counter()
        result = operation(env, prepared)
        env.flush_all()
        seconds = time.perf_counter() - start
        peak = None
        if memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return seconds, env.cr.sql_log_count - queries, result, peak


class Side:
    """One side of a comparison: stock Odoo or the suite, with its median time and queries."""

    def __init__(self, registry, prepare, operation):
        self.registry, self.prepare, self.operation = registry, prepare, operation
        self.times, self.queries, self.result = [], [], None

    def run(self):
        seconds, queries, self.result, _peak = run_once(self.registry, self.prepare, self.operation)
        self.times.append(seconds)
        self.queries.append(queries)

    @property
    def seconds(self):
        return statistics.median(self.times)

    @property
    def query_count(self):
        return int(statistics.median(self.queries))


def compare(repeat, suite, stock=None, stock_repeat=None, bare=None):
    """Run both sides ``repeat`` times, alternating (stock Odoo's ``stock_repeat`` times when it is slow), with the
    ``bare`` SQL the suite's answer cannot beat when there is one; return stock and suite."""
    for index in range(repeat):
        if stock and index < (stock_repeat or repeat):
            stock.run()
        suite.run()
        if bare:
            bare.run()
    return stock, suite
