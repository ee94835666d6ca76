from readbeside._reader import count, read, size  # noqa: F401
