# The numpy check of tests/t7700-numpy.sh (issue 24, item 5). Every line
# but the last is compared with what Debian trixie's python3.13 3.13.5
# with python3-numpy 1:2.2.4+ds-1 prints for this same file (app.expect).
import numpy as np

a = np.array([[3.0, 1.0], [1.0, 2.0]])
print("solve", np.linalg.solve(a, np.array([9.0, 8.0])))
w, v = np.linalg.eig(a)
print("eig", np.round(np.sort(w), 6))
print("rfft", np.round(np.fft.rfft(np.array([1.0, 2.0, 3.0, 4.0])), 6))
print("normal", np.random.default_rng(1).normal(size=3))
print("einsum", np.einsum("ij,jk->ik", a, a), np.einsum("ii", a))
d = np.datetime64("2024-02-28") + np.arange(3)
print("datetime64", d, d[2] - np.datetime64("2024-01-01"))
s = np.array(["apple", "fig", "kiwi"])
print("strings", np.char.upper(s), s.dtype, np.strings.str_len(s))
rec = np.array([(1, 2.5, b"ab"), (2, -1.0, b"cd")],
               dtype=[("id", "i4"), ("x", "f8"), ("tag", "S2")])
print("structured", rec["x"].sum(), rec[1]["tag"], rec.dtype.names)
print("version", np.__version__)
loader = np._core._multiarray_umath.__loader__
print("loader", getattr(loader, "__name__", type(loader).__name__))
