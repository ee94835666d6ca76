"""Write the scripts/bench-results.md table from what scripts/bench measured.

    python3 scripts/bench-report.py WORK MANIFEST COLD RSS_HELLO RSS_STOCK
        RSS_HOST HOSTPY >scripts/bench-results.md

WORK holds hyperfine's JSON exports (builds, startup, anchor, pygments,
imports),
the built outputs, imports.py and anchor-python.txt (the Debian
python3.13's version; Debian's changelog says it is built with PGO and
LTO and keeps the LTO flags out of sysconfig); MANIFEST is the toolchain
manifest whose build times are reported (COLD is "cold" when
scripts/bench --cold built it in this run); RSS_* are peak resident
sizes in KiB.
"""

import json
import os
import platform
import subprocess
import sys
import time


def load(work, name):
    with open(os.path.join(work, name + ".json")) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def ms(r):
    """Median wall time and its spread: the median resists the outliers
    that other work on the machine causes."""
    return f"{r['median'] * 1000:.1f} ms ± {r['stddev'] * 1000:.1f}"


def cpu(r):
    """User + system time: what the process itself spent."""
    return r["user"] + r["system"]


def secs(s):
    return f"{s:.2f} s" if s < 60 else f"{int(s // 60)}m{s % 60:04.1f}s"


def mib(path):
    return os.path.getsize(path) / (1 << 20)


def verdict(ok):
    return "**met**" if ok else "**missed**"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def git_head():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def ext_rows(work, row):
    """The app with C extensions built from sdists (markupsafe, PyYAML)."""
    with open(os.path.join(work, "ext-cold.txt")) as f:
        cold = float(f.read())
    warm = load(work, "ext-builds")["warm"]
    start = load(work, "ext-startup")
    st, host = start["stick"], start["host"]
    row("build of an app with markupsafe + PyYAML from sdists: cold",
        secs(cold), "", "pinned tools unpacked, libyaml and both packages "
        "compiled (toolchain and stdlib cached)")
    row("the same build: warm", f"{warm['median']:.2f} s ± "
        f"{warm['stddev']:.2f}", "", f"nothing compiled; "
        f"{len(warm['times'])} runs")
    row("start-up + run: that app vs host python3 on the same code",
        f"{st['median'] / host['median']:.2f}x ({ms(st)} vs {ms(host)})",
        "", "the host runs the sdists' pure-Python sources")


def anchor_rows(work, row):
    """Start-up against what users run: Debian trixie's python3.13 (PGO
    and LTO), timed in one hyperfine run inside a trixie root."""
    start = load(work, "anchor")
    with open(os.path.join(work, "anchor-python.txt")) as f:
        version = f.read().strip()
    py = {flags: next(r for c, r in start.items()
                      if c.startswith("python") and c.endswith(flags))
          for flags in (" -I hello.py", " -I -S hello.py")}
    where = (f"{len(start['hello']['times'])} runs each, one hyperfine run "
             f"in a Debian trixie root; python3.13 {version}, built by Debian "
             "with PGO and LTO")
    targets = {"hello": 0.6, "hello-pgo": 0.5}
    for name, label in (("hello", "hello"), ("pruned", "hello `--prune`"),
                        ("hello-pgo", "hello (`--pgo` toolchain)")):
        if name not in start:
            continue
        r = start[name]
        for flags, d in py.items():
            ratio = r["median"] / d["median"]
            limit = targets.get(name)
            target = f"at most {limit}x: {verdict(ratio <= limit)}" \
                if limit and flags == " -I hello.py" else ""
            row(f"start-up: {label} vs Debian `python3.13{flags}`",
                f"{ratio:.2f}x ({ms(r)} vs {ms(d)})", target,
                f"{where}; CPU time {cpu(r) / cpu(d):.2f}x")


def pygments_rows(work, row):
    """An import-heavy app against the anchor: pygmentize, whole and
    pruned, against Debian's python3.13 running the same pygments from
    disk (.pyc written), in one hyperfine run inside the trixie root."""
    if not os.path.exists(os.path.join(work, "pygments.json")):
        return
    res = load(work, "pygments")
    deb = next(r for c, r in res.items() if c.startswith("python"))
    for name, label in (("whole", "pygmentize"),
                        ("pruned", "pygmentize `--prune`"),
                        ("pgo", "pygmentize (`--pgo` toolchain)")):
        if name not in res:
            continue
        r = res[name]
        ratio = r["median"] / deb["median"]
        row(f"import-heavy: {label} vs Debian `python3.13 -I` on the same "
            "pygments", f"{ratio:.2f}x ({ms(r)} vs {ms(deb)})",
            f"at most 0.7x: {verdict(ratio <= 0.7)}",
            f"`-l python -f html pygments/__init__.py`; "
            f"{len(r['times'])} runs each, one hyperfine run in the trixie "
            f"root; CPU time {cpu(r) / cpu(deb):.2f}x")


def deps_rows(work, row):
    """The project with dependencies (jinja2 + click, markupsafe's C
    speedups) resolved from a local index."""
    with open(os.path.join(work, "deps-cold.txt")) as f:
        cold = float(f.read())
    warm = load(work, "deps-builds")["warm"]
    row("build of a project depending on jinja2 + click: cold", secs(cold),
        "", "pip resolves 3 sdists from a local index, flit_core and "
        "setuptools build them, markupsafe's _speedups compiled "
        "(toolchain and stdlib cached)")
    row("the same build: warm", f"{warm['median']:.2f} s ± "
        f"{warm['stddev']:.2f}", "", "index stopped: the lock and the "
        f"caches; {len(warm['times'])} runs")


def cxx_rows(work, row, manifest):
    """The musl sysroot, the C++ runtime and the greenlet + kiwisolver
    app (C++ extensions from their upstream sources)."""
    musl = [c for c in manifest["components"] if c["name"] == "musl"]
    if musl:
        row("musl 1.2.6 sysroot, cold (part of the toolchain build)",
            secs(musl[0]["build_seconds"]), "", "built first, alone, "
            "with the host's gcc; as the toolchain's build-logs recorded it")
    if not os.path.exists(os.path.join(work, "cxx-cold.txt")):
        return
    def read(name):
        with open(os.path.join(work, name)) as f:
            return f.read().split()
    runtime = float(read("cxx-runtime.txt")[0])
    cold = float(read("cxx-cold.txt")[0])
    cold2 = float(read("cxx-cold-runtime-cached.txt")[0])
    gk, plain = (int(x) for x in read("cxx-sizes.txt"))
    warm = load(work, "cxx-builds")["warm"]
    row("C++ runtime (libc++, libc++abi, libunwind 19.1.7), cold",
        secs(runtime), "", "extracted from LLVM's tarball and built with "
        "CMake, Ninja and clang++-19, once per toolchain")
    row("build of an app with greenlet + kiwisolver from source: cold",
        secs(cold), "", "the C++ runtime, both packages and kiwisolver's "
        "build requirements (cppy, setuptools_scm from a --find-links "
        "directory) built (toolchain and stdlib cached)")
    row("the same build, the C++ runtime cached", secs(cold2), "",
        "both packages compiled again")
    row("the same build: warm", f"{warm['median']:.2f} s ± "
        f"{warm['stddev']:.2f}", "", f"nothing compiled; "
        f"{len(warm['times'])} runs")
    row("size: that app vs the same script without the two packages",
        f"{gk / (1 << 20):.2f} MiB vs {plain / (1 << 20):.2f} MiB "
        f"(+{(gk - plain) / 1024:.0f} KiB)", "", "")


def numpy_rows(work, row):
    """numpy 2.2.4 built from source: its cold and warm builds, size,
    the two-home comparison, and import + workload against Debian's
    python3.13 with python3-numpy 2.2.4 in the trixie root."""
    if not os.path.exists(os.path.join(work, "numpy.json")):
        return
    def read(name):
        with open(os.path.join(work, name)) as f:
            return f.read().split()
    warm = load(work, "numpy-builds")["warm"]
    row("numpy 2.2.4 from source (meson-python): cold build",
        secs(float(read("numpy-cold.txt")[0])), "fits CI's 90 minutes",
        "a small app: numpy's 19 extension modules and its build "
        "requirements built (toolchain, stdlib, libc++ cached)")
    row("the same build: warm", f"{warm['median']:.2f} s ± "
        f"{warm['stddev']:.2f}", "", f"nothing compiled; "
        f"{len(warm['times'])} runs")
    with_np, plain = (int(x) / (1 << 20) for x in read("numpy-sizes.txt"))
    row("size: that app vs hello", f"{with_np:.2f} MiB vs "
        f"{plain:.2f} MiB", "", "")
    row("that app built in two STICK_HOMEs", read("numpy-repro.txt")[0],
        "identical", "numpy compiled in each home")
    r = load(work, "numpy")
    for what, label in (("import", "`import numpy`"),
                        ("work", "linalg.solve + ufuncs + matmul (300x300, 1e6)")):
        s, d = r[f"stick {what}"], r[f"debian {what}"]
        row(f"numpy: {label} vs Debian python3.13 + python3-numpy 2.2.4",
            f"{s['median'] / d['median']:.2f}x ({ms(s)} vs {ms(d)})", "",
            "in the trixie root; Debian's numpy uses the reference "
            "BLAS/LAPACK (libblas3), stick's numpy its own lapack_lite and "
            "no BLAS; lower is faster")


def aarch64_rows(work, row):
    """The aarch64 toolchain's cold build and the sizes of the same
    outputs for both targets (no speed figures under qemu-user)."""
    path = os.path.join(work, "aarch64-times.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        t = json.load(f)
    comps = sorted(t["components"], key=lambda c: -c["build_seconds"])
    row("cold aarch64-linux-musl toolchain (cross-built), total",
        secs(t["build_seconds"]), "", "as its build-logs/times.json "
        "recorded it when it was built; " + ", ".join(
            f"{c['name']} {secs(c['build_seconds'])}" for c in comps))
    with open(os.path.join(work, "aarch64-sizes.txt")) as f:
        sizes = [int(x) / (1 << 20) for x in f.read().split()]
    for name, (x86, arm) in zip(("interpreter (-o)", "hello",
                                 "hello --prune"),
                                zip(sizes[0::2], sizes[1::2])):
        row(f"size of {name}: x86_64 vs aarch64",
            f"{x86:.2f} MiB vs {arm:.2f} MiB", "",
            "no speed figures for aarch64: under qemu-user they would "
            "measure the emulator")


def geomean(values):
    values = list(values)
    product = 1.0
    for v in values:
        product *= v
    return product ** (1 / len(values))


CPU_LABELS = {"default": "stick", "pgo": "stick --pgo", "lto": "stick --lto"}


def cpu_rows(work, row):
    """Throughput (scripts/bench-cpu.py) of stick's interpreters from the
    default, --pgo (and --lto) toolchains against Debian trixie's
    python3.13, each workload one hyperfine run inside the trixie root.
    Ratios are of median wall times (lower is faster); the CPU time ratio
    of the geometric mean is beside it."""
    path = os.path.join(work, "cpu-benchmarks.txt")
    if not os.path.exists(path):
        return
    with open(path) as f:
        names = f.read().split()
    runs = {n: load(work, f"cpu-{n}") for n in names}
    variants = [v for v in CPU_LABELS if v in runs[names[0]]]
    for n in names:
        r, deb = runs[n], runs[n]["debian"]
        row(f"throughput: {n}, time vs Debian `python3.13`", ", ".join(
            f"{CPU_LABELS[v]} {r[v]['median'] / deb['median']:.2f}x "
            f"(CPU {cpu(r[v]) / cpu(deb):.2f}x)"
            for v in variants) + f"; Debian {ms(deb)}", "",
            f"`scripts/bench-cpu.py {n}`; "
            + ", ".join(f"{CPU_LABELS[v]} {ms(r[v])}" for v in variants)
            + f"; {len(deb['times'])} runs each, one hyperfine run in the "
            "trixie root")
    for v in variants:
        wall = geomean(runs[n][v]["median"] / runs[n]["debian"]["median"]
                       for n in names)
        cpus = geomean(cpu(runs[n][v]) / cpu(runs[n]["debian"])
                       for n in names)
        target = f"at most 1.0x: {verdict(wall <= 1.0)}" if v == "pgo" \
            else ""
        row(f"throughput: geometric mean, {CPU_LABELS[v]} vs Debian",
            f"{wall:.2f}x", target, f"{len(names)} workloads; CPU time "
            f"(user + system) {cpus:.2f}x")


def pgo_rows(work, row):
    """The --pgo toolchain's cold build, as its build-logs/times.json
    recorded it when it was built (not in this run)."""
    path = os.path.join(work, "pgo-toolchain.txt")
    if not os.path.exists(path):
        return
    with open(path) as f:
        times = os.path.join(f.read().strip(), "build-logs", "times.json")
    if not os.path.exists(times):
        return
    with open(times) as f:
        t = json.load(f)
    python = next((c["build_seconds"] for c in t["components"]
                   if c["name"] == "python"), None)
    row("cold 3.13 `--pgo` toolchain, total", secs(t["build_seconds"]),
        f"at most 15 min on 2 cores: {verdict(t['build_seconds'] <= 900)}",
        "as its build-logs/times.json recorded it when it was built"
        + (f"; python (PGO training, profile-use rebuild, LTO) "
           f"{secs(python)}" if python else ""))


def toolchain_times(manifest_path):
    """The toolchain's build record (build-logs/times.json), else its
    manifest (older toolchains kept their times there)."""
    times_path = os.path.join(os.path.dirname(manifest_path), "build-logs",
                              "times.json")
    with open(times_path if os.path.exists(times_path) else
              manifest_path) as f:
        return json.load(f)


def oci_rows(work, row, manifest):
    """The shared OCI cache: hello cold in a fresh STICK_HOME pulling
    from a warm registry, against building it there."""
    path = os.path.join(work, "oci-pull.txt")
    if not os.path.exists(path):
        return
    def floats(name):
        with open(os.path.join(work, name)) as f:
            return sorted(float(x) for x in f.read().split())
    pulls, local = floats("oci-pull.txt"), floats("oci-local.txt")
    pull, here = pulls[len(pulls) // 2], local[len(local) // 2]
    tc = manifest["build_seconds"]
    with open(os.path.join(work, "oci-toolchain.txt")) as f:
        tc_pull = f.read().strip()
    row("cold hello, fresh STICK_HOME, warm OCI registry",
        f"{secs(pull)} vs {secs(tc + here)} without", "seconds vs minutes: "
        f"{verdict(pull < 60 and pull * 10 < tc + here)}",
        f"median of {len(pulls)}: toolchain, stdlib, embed/ objects and the "
        f"table pulled from docker-registry on 127.0.0.1, no C compiled "
        f"(the toolchain's pull alone {tc_pull}); without: the toolchain's "
        f"recorded cold build {secs(tc)} plus {secs(here)} measured for the "
        "stdlib and embed/ made locally")
    with open(os.path.join(work, "oci-sizes.txt")) as f:
        sizes = [line.split(None, 1) for line in f.read().splitlines()]
    row("pushed artifacts (tar.zst)", ", ".join(
        f"{kind} {size}" for kind, size in sizes), "",
        "one OCI artifact each, tagged by its cache key")


def part_main():
    """--oci, --numpy, --aarch64 or --speed WORK MANIFEST: those rows
    alone."""
    work, manifest_path = sys.argv[2:4]
    rows = []
    row = lambda *cells: rows.append("| " + " | ".join(cells) + " |")
    if sys.argv[1] == "--oci":
        oci_rows(work, row, toolchain_times(manifest_path))
    elif sys.argv[1] == "--numpy":
        numpy_rows(work, row)
    elif sys.argv[1] == "--speed":
        anchor_rows(work, row)
        cpu_rows(work, row)
        pgo_rows(work, row)
    else:
        aarch64_rows(work, row)
    print("| what | figure | target | notes |")
    print("| --- | --- | --- | --- |")
    print("\n".join(rows))


def main():
    if sys.argv[1] in ("--oci", "--numpy", "--aarch64", "--speed"):
        return part_main()
    work, manifest_path, cold = sys.argv[1:4]
    rss_hello, rss_stock, rss_host = (int(x) for x in sys.argv[4:7])
    hostpy = sys.argv[7]
    with open(manifest_path) as f:
        manifest = json.load(f)
    # The stock CPython is built from the toolchain's pinned version.
    stock_ver = manifest.get("python", "3.13")
    # A toolchain's build times are in build-logs/times.json (older ones
    # kept them in the manifest, which now holds only what was built).
    times_path = os.path.join(os.path.dirname(manifest_path), "build-logs",
                              "times.json")
    if os.path.exists(times_path):
        with open(times_path) as f:
            manifest = json.load(f)
    builds, start, imports, alloc = (load(work, n) for n in
                                     ("builds", "startup", "imports",
                                      "alloc"))
    with open(os.path.join(work, "imports.py")) as f:
        nmods = sum(1 for line in f if line.startswith("import ")) - 1

    rows = []
    row = lambda *cells: rows.append("| " + " | ".join(cells) + " |")

    comps = sorted(manifest["components"], key=lambda c: -c["build_seconds"])
    total = manifest["build_seconds"]
    where = "built by this run (`scripts/bench --cold`)" if cold else \
        "as recorded in the cached toolchain's manifest when it was built"
    row("cold 3.13 toolchain, total", secs(total),
        f"at most 6 min on 2 cores: {verdict(total <= 360)}", where)
    row("per component (they overlap with -j)", ", ".join(
        f"{c['name']} {secs(c['build_seconds'])}" for c in comps), "", "")
    pgo_rows(work, row)

    for name, limit in (("hello", 0.5), ("pyflakes", 1.0)):
        r = builds[name]
        row(f"warm build of {name} (toolchain, stdlib cached)",
            f"{r['median']:.2f} s ± {r['stddev']:.2f}",
            f"at most {limit:g} s: {verdict(r['median'] <= limit)}",
            f"{len(r['times'])} runs")

    h = start["hello"]
    hello = h["median"]
    for flags in ("-I -c pass", "-I -S -c pass"):
        stock, host = start[f"stock {flags}"], start[f"host {flags}"]
        target = f"at most 0.6x: {verdict(hello / stock['median'] <= 0.6)}" \
            if flags == "-I -c pass" else ""
        row(f"start-up: hello vs stock {stock_ver} `{flags}`",
            f"{hello / stock['median']:.2f}x ({ms(h)} vs {ms(stock)})",
            target, f"{len(h['times'])} runs each, same run; CPU time "
            f"{cpu(h) * 1000:.1f} vs {cpu(stock) * 1000:.1f} ms, "
            f"{cpu(h) / cpu(stock):.2f}x")
        row(f"start-up: hello vs host python3 `{flags}`",
            f"{hello / host['median']:.2f}x ({ms(host)} for the host)", "",
            f"host python3 is {os.path.basename(hostpy)} "
            f"{platform.python_version()}; CPU time "
            f"{cpu(h) / cpu(host):.2f}x")
        r = start[f"stick {flags}"]
        row(f"start-up: stick interpreter `{flags}`",
            f"{ms(r)} ({r['median'] / stock['median']:.2f}x of stock)", "",
            "the single-file interpreter, not an app")

    anchor_rows(work, row)
    pygments_rows(work, row)
    cpu_rows(work, row)

    mi, py = alloc["mimalloc"], alloc["pymalloc"]
    row("object allocator, 4 threads allocating dicts, lists and bytes",
        f"mimalloc (the default) {mi['median']:.2f} s, pymalloc "
        f"{py['median']:.2f} s: {mi['median'] / py['median']:.2f}x", "",
        "`scripts/bench-alloc.py 4` on the stick interpreter, "
        f"PYTHONMALLOC chosen; {len(mi['times'])} runs each")

    pruned = os.path.join(work, "hello-pruned")
    row("size: single-file interpreter (`stick build -o`)",
        f"{mib(os.path.join(work, 'python')):.1f} MiB", "", "stripped")
    row("size: hello", f"{mib(os.path.join(work, 'hello')):.1f} MiB", "",
        "`--script hello.py`")
    if os.path.exists(pruned):
        row("size: hello with `--prune`",
            f"{mib(pruned):.2f} MiB ({os.path.getsize(pruned):,} bytes)",
            f"at most 4 MiB: "
            f"{verdict(os.path.getsize(pruned) <= 4 * 1024 * 1024)}", "")
    else:
        row("size: hello with `--prune`", "n/a (no --prune)",
            "at most 4 MiB: not measurable", "this stick has no --prune")
    repro = os.path.join(work, "cold-repro.txt")
    if os.path.exists(repro):
        with open(repro) as f:
            lines = f.read().splitlines()
        row("cold toolchain vs the cached one, file by file",
            lines[-1] if lines else "no result", "byte-identical",
            "`scripts/check-toolchain-repro --compare`, build-logs/ aside")

    row("peak RSS: hello vs host python3 `-I -c 'print(\"hello\")'`",
        f"{rss_hello / 1024:.1f} MiB vs {rss_host / 1024:.1f} MiB "
        f"({rss_hello / rss_host:.2f}x)", "",
        f"stock {stock_ver}: {rss_stock / 1024:.1f} MiB")

    kinds = {}
    for who in ("hello", "stock", "host"):
        with open(os.path.join(work, f"rss-{who}.txt")) as f:
            kinds[who] = [int(x) / 1024 for x in f.read().split()]
    row("resident at the end of the run: anonymous + file-backed",
        " / ".join(f"{who} {a:.1f} + {fb:.1f} MiB"
                   for who, (a, fb) in kinds.items()), "",
        "file-backed pages of a static binary are the shared page cache, "
        "mapped in 64 KiB fault-around blocks")

    s, h = imports["stick"], imports["host"]
    base_s = start["stick -I -c pass"]["median"]
    base_h = start["host -I -c pass"]["median"]
    row(f"import {nmods} stdlib modules: embedded vs host from disk",
        f"{s['median'] / h['median']:.2f}x ({ms(s)} vs {ms(h)}); net of "
        f"start-up {(s['median'] - base_s) / (h['median'] - base_h):.2f}x",
        "", "stick interpreter (3.13, frozen) vs host python3 "
        "(.pyc cached); lower is faster")
    st = imports["stock"]
    base_st = start["stock -I -c pass"]["median"]
    row(f"import {nmods} stdlib modules: embedded vs stock {stock_ver} "
        "from disk",
        f"{s['median'] / st['median']:.2f}x ({ms(s)} vs {ms(st)}); net of "
        f"start-up {(s['median'] - base_s) / (st['median'] - base_st):.2f}x",
        "", "the same version, so the same modules do the same work")

    ext_rows(work, row)
    deps_rows(work, row)
    cxx_rows(work, row, manifest)
    numpy_rows(work, row)
    aarch64_rows(work, row)
    oci_rows(work, row, manifest)

    print("<!-- generated by scripts/bench (make bench); do not edit -->")
    print(f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}, "
          f"commit {git_head()}, {os.cpu_count()} x {cpu_model()}; "
          "hyperfine, warm caches; load average "
          f"{os.getloadavg()[0]:.1f} at the end (other work may run beside "
          "it). Times are medians ± standard deviation.\n")
    print("| what | figure | target | notes |")
    print("| --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
