"""A threaded allocation workload for comparing object allocators.

    python scripts/bench-alloc.py THREADS

Each thread builds and drops lists of small dicts, tuples and strings and
of bytes objects of up to 3 KB, 40 times (make bench runs it with
PYTHONMALLOC=mimalloc and =pymalloc).
"""

import sys
import threading
import time


def work():
    for _ in range(40):
        rows = [{"k": str(i), "v": [i, i * 2, (i, "x" * (i % 50))]}
                for i in range(20000)]
        sum(len(r["k"]) for r in rows)
        blobs = [bytes(200 + i % 3000) for i in range(2000)]
        del rows, blobs


def main():
    threads = [threading.Thread(target=work) for _ in range(int(sys.argv[1]))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{len(threads)} threads {time.perf_counter() - start:.2f}s")


if __name__ == "__main__":
    main()
