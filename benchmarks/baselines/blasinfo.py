"""Which BLAS a Python baseline really ran on, with how many threads: shared by every baseline under benchmarks/.

Debian's python3-numpy and python3-torch link `libblas.so.3`, which the alternatives system points at the reference
BLAS (netlib, /usr/lib/x86_64-linux-gnu/blas/, ~6 GFLOP/s) unless an optimised one such as libopenblas0-pthread is
installed; numpy's build-time config says "blas" either way. So the answer is read from the shared objects mapped into
this process (/proc/self/maps) after a BLAS call, plus torch's build config (a pip torch links MKL statically, which
leaves no separate .so to see). For OpenBLAS the core type and thread count come from the library itself (ctypes).

    import blasinfo                      # from a script in benchmarks/*/: sys.path.insert(0, <benchmarks/baselines>)
    blasinfo.set_threads(1)              # before importing numpy/torch: OPENBLAS/OMP/MKL_NUM_THREADS
    ... one BLAS call ...
    info = blasinfo.describe("numpy")    # {"library", "version", "blas": {...}, "threads", ...}

Every baseline prints `"runtime": blasinfo.runtime(...)` in its JSON; src/bench/runPythonBaseline.ts validates it.
"""
import ctypes
import os
import re
import sys

# Mapped-path patterns, most specific first: (kind, regex on the real path of a mapped shared object).
_PATTERNS = [
    ("openblas", re.compile(r"openblas", re.I)),
    ("mkl", re.compile(r"libmkl_|mkl_rt", re.I)),
    ("blis", re.compile(r"libblis", re.I)),
    ("atlas", re.compile(r"/atlas/|libatlas|libsatlas|libtatlas", re.I)),
    ("accelerate", re.compile(r"Accelerate\.framework|libvecLib", re.I)),
    # Debian's reference (netlib) BLAS lives in .../blas/libblas.so.3 (the alternatives' target).
    ("reference", re.compile(r"/blas/libc?blas\.so|librefblas", re.I)),
]
OPTIMISED = {"openblas", "mkl", "blis", "atlas", "accelerate"}


def set_threads(threads):
    """Pins every BLAS/OpenMP thread pool to `threads` (call before numpy or torch is imported)."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = str(threads)


def mapped_libraries():
    """Real paths of the BLAS-like shared objects mapped into this process."""
    paths = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split(None, 5)
                if len(parts) == 6 and parts[5].strip().startswith("/"):
                    path = parts[5].strip()
                    if re.search(r"blas|lapack|mkl|blis|atlas|veclib", path, re.I):
                        paths.add(path)
    except OSError:
        pass
    return sorted(paths)


def _classify(paths):
    """(kind, the decisive paths). numpy and torch on Debian link `libblas.so.3` (NEEDED): the real path of that mapped
    library decides (openblas-pthread/ = OpenBLAS, blas/ = reference netlib), even when another BLAS is mapped too
    (e.g. OpenBLAS's liblapack.so.3 beside the reference libblas.so.3: dgemm comes from libblas.so.3). Without a
    libblas.so.3 (pip wheels bundle theirs), any BLAS-like mapped library is classified."""
    linked = [p for p in paths if re.match(r"libc?blas\.so", os.path.basename(p))]
    candidates = linked or paths
    for kind, pattern in _PATTERNS:
        hits = [p for p in candidates if pattern.search(p)]
        if hits:
            return kind, hits
    return ("unknown", candidates) if candidates else ("none", [])


def _openblas_details(paths):
    """Core type, config string and thread count from a loaded libopenblas (symbols may carry a suffix/prefix)."""
    out = {}
    for path in paths:
        if "openblas" not in os.path.basename(path).lower():
            continue
        try:
            lib = ctypes.CDLL(path)  # already loaded: dlopen returns the same handle
        except OSError:
            continue
        for stem, key in (("get_corename", "coretype"), ("get_config", "config"), ("get_num_threads", "threads")):
            for name in (f"openblas_{stem}", f"openblas_{stem}64_", f"scipy_openblas_{stem}64_", f"scipy_openblas_{stem}"):
                fn = getattr(lib, name, None)
                if fn is None:
                    continue
                if key == "threads":
                    fn.restype = ctypes.c_int
                    out[key] = int(fn())
                else:
                    fn.restype = ctypes.c_char_p
                    raw = fn()
                    out[key] = raw.decode(errors="replace").strip() if raw else None
                break
        if out:
            return out
    return out


def _torch_build_blas(torch):
    """torch's BLAS from its build config: 'mkl', 'open' (OpenBLAS), 'generic' (libblas.so.3), ... or None."""
    try:
        show = torch.__config__.show()
    except Exception:  # noqa: BLE001 - very old torch: no config
        return None, None
    m = re.search(r"BLAS_INFO=([A-Za-z0-9_]+)", show)
    return (m.group(1) if m else None), show


def blas_of(library):
    """The BLAS `library` ('numpy' or 'torch', already imported and called once) ran on."""
    paths = mapped_libraries()
    kind, hits = _classify(paths)
    # The decisive library first, then everything else BLAS-like that is mapped.
    info = {"kind": kind, "libraries": hits + [p for p in paths if p not in hits], "coretype": None, "config": None, "threads": None, "source": "maps"}
    if library == "torch":
        torch = sys.modules["torch"]
        build, _ = _torch_build_blas(torch)
        info["build"] = build
        if build == "mkl" and kind != "mkl":
            # MKL linked statically into libtorch_cpu: nothing separate is mapped.
            info.update(kind="mkl", source="torch.__config__ (BLAS_INFO=mkl, linked statically)")
        elif build in ("open", "openblas") and kind == "none":
            info.update(kind="openblas", source="torch.__config__ (BLAS_INFO=open)")
    if info["kind"] == "openblas":
        info.update({k: v for k, v in _openblas_details([p for p in paths if "openblas" in p.lower()]).items() if v is not None})
    elif info["kind"] == "reference":
        info["threads"] = 1  # netlib BLAS is single-threaded
    info["optimised"] = info["kind"] in OPTIMISED
    return info


def describe(library):
    """Version, BLAS and thread count of `library` ('numpy' or 'torch'), after it has made a BLAS call."""
    mod = sys.modules[library]
    out = {"library": library, "version": getattr(mod, "__version__", "unknown"), "blas": blas_of(library)}
    if library == "torch":
        out["threads"] = int(mod.get_num_threads())
    else:
        t = out["blas"].get("threads")
        out["threads"] = int(t) if t is not None else int(os.environ.get("OPENBLAS_NUM_THREADS", "0") or 0) or None
    return out


def runtime(requested_threads, libraries):
    """The `runtime` block every baseline prints: interpreter, requested threads, cores and each library's BLAS."""
    return {
        "python": sys.version.split()[0],
        "requestedThreads": requested_threads,
        "cores": os.cpu_count(),
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
        "libraries": [describe(name) for name in libraries],
    }
