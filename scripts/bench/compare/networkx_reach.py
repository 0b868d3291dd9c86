"""networkx's single_source_dijkstra_path_length with a cutoff, per origin, on the exported edge list.

Usage: python3 networkx_reach.py edges.csv origins.csv budget_seconds
Prints one JSON line: per-origin milliseconds (p50, mean) and nodes reached on average.
"""
import csv, json, statistics, sys, time

import networkx as nx

edges_path, origins_path, budget = sys.argv[1], sys.argv[2], float(sys.argv[3])
t0 = time.perf_counter()
G = nx.DiGraph()
with open(edges_path) as f:
    for row in csv.DictReader(f):
        s, t, c, r = int(row["source"]), int(row["target"]), float(row["cost"]), float(row["reverse_cost"])
        if c >= 0:
            G.add_edge(s, t, cost=c)
        if r >= 0:
            G.add_edge(t, s, cost=r)
load_s = time.perf_counter() - t0
origins = [int(x) for x in open(origins_path).read().split()]
times, reached = [], []
for o in origins:
    if o not in G:
        continue
    t = time.perf_counter()
    lengths = nx.single_source_dijkstra_path_length(G, o, cutoff=budget, weight="cost")
    times.append((time.perf_counter() - t) * 1000)
    reached.append(len(lengths))
times.sort()
print(json.dumps({
    "engine": "networkx " + nx.__version__,
    "loadS": round(load_s, 3),
    "origins": len(times),
    "p50Ms": round(times[len(times) // 2], 3),
    "meanMs": round(statistics.mean(times), 3),
    "meanReached": round(statistics.mean(reached), 1),
}))
