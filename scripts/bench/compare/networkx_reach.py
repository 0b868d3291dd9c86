"""networkx's side of `npm run bench:compare`: a 15-minute walk from every origin, on the exported edge list.

Usage: python3 networkx_reach.py edges.csv origins.csv budget_seconds reps reach.json

The graph is built `reps` times (timed apart from the searches: networkx keeps it in memory, as
lifecircle keeps its graph file loaded); then one untimed pass over the origins warms up, and `reps`
timed passes run single_source_dijkstra_path_length(cutoff=budget) from every origin. Prints one
JSON line with the build and pass times in seconds; writes the last pass's answer, {origin: {node:
seconds}}, to reach.json for the comparison.
"""
import csv, json, sys, time

import networkx as nx

edges_path, origins_path, budget, reps, reach_path = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]


def build():
    G = nx.DiGraph()
    with open(edges_path) as f:
        for row in csv.DictReader(f):
            s, t = int(row["source"]), int(row["target"])
            for a, b, c in ((s, t, float(row["cost"])), (t, s, float(row["reverse_cost"]))):
                # A DiGraph holds one arc per pair: keep the cheapest of parallel edges (pgRouting
                # and lifecircle keep them all, and their searches take the cheapest).
                if c >= 0 and (not G.has_edge(a, b) or c < G[a][b]["cost"]):
                    G.add_edge(a, b, cost=c)
    return G


build_s = []
for _ in range(reps):
    t0 = time.perf_counter()
    G = build()
    build_s.append(time.perf_counter() - t0)

origins = [int(x) for x in open(origins_path).read().split()]


def walk_all():
    return {o: nx.single_source_dijkstra_path_length(G, o, cutoff=budget, weight="cost") for o in origins}


walk_all()
pass_s = []
for _ in range(reps):
    t0 = time.perf_counter()
    reach = walk_all()
    pass_s.append(time.perf_counter() - t0)

with open(reach_path, "w") as f:
    json.dump(reach, f)
print(json.dumps({"engine": "networkx " + nx.__version__, "origins": len(origins), "buildS": build_s, "passS": pass_s}))
