"""The benchmark: build and serve synthetic congresses at several scales, against reference servers.

Run on demand (``python -m bench.run --scales 10000,100000,1000000``), never as part of
the test suite's timing. See ``bench/run.py``.
"""
