"""A static multilingual site served on 127.0.0.1, with conditional GET and scripted errors:
the offline demo (``sankofa demo``), the crawl tests and the benchmarks crawl it.
"""
