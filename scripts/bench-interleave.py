"""Interleaved timing for comparisons on a shared machine: each round runs
every command once, in a shuffled order, so that load drifting between
rounds hits every command alike (hyperfine runs one command's runs back
to back). Records wall time (perf_counter around posix_spawn and wait4)
and CPU time (user + system from wait4's rusage) of every run; stdout is
discarded, a non-zero exit stops it.

    python3 bench-interleave.py ROUNDS OUT.json NAME=COMMAND...

COMMAND is split on blanks. Used by hand (scripts/bench-history.md: the
compiler comparison, before/after the musl sysroot), not by make bench.
"""
import json
import os
import random
import sys
import time


def one(argv, env, devnull):
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench-interleave: {' '.join(argv)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    rounds, out = int(sys.argv[1]), sys.argv[2]
    cmds = [a.split("=", 1) for a in sys.argv[3:]]
    res = {name: {"wall": [], "cpu": []} for name, _ in cmds}
    devnull = os.open(os.devnull, os.O_WRONLY)
    env = {"PATH": "/usr/bin:/bin"}
    for _, cmd in cmds:  # warm-up
        one(cmd.split(), env, devnull)
    order = list(range(len(cmds)))
    for _ in range(rounds):
        random.shuffle(order)
        for i in order:
            name, cmd = cmds[i]
            wall, cpu = one(cmd.split(), env, devnull)
            res[name]["wall"].append(wall)
            res[name]["cpu"].append(cpu)
    with open(out, "w") as f:
        json.dump(res, f)


if __name__ == "__main__":
    main()
