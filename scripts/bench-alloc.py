import threading, sys, time
def work():
    for _ in range(40):
        d = [{"k": str(i), "v": [i, i * 2, (i, "x" * (i % 50))]} for i in range(20000)]
        s = sum(len(x["k"]) for x in d)
        b = [bytes(200 + i % 3000) for i in range(2000)]
        del d, b
n = int(sys.argv[1])
t0 = time.perf_counter()
ts = [threading.Thread(target=work) for _ in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
print(f"{n} threads {time.perf_counter()-t0:.2f}s")
