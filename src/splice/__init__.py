"""splice: hook calls spliced into CPython bytecode at run time."""
