/**
 * Weakly connected components of the edge list (union-find with path halving), over the vertices
 * that end an edge. Sizes are in nodes; the largest component is never dropped.
 */
export interface Components {
  /** Component index per vertex id (meaningful only for vertices that end an edge). */
  ofVertex: Int32Array;
  /** Nodes per component. */
  sizes: number[];
  /** Edges per component. */
  edgeCounts: number[];
  largest: number;
  /** Distinct vertices that end an edge. */
  nodeCount: number;
}

export function connectedComponents(vertexCount: number, from: Uint32Array, to: Uint32Array, edgeCount: number): Components {
  const parent = new Int32Array(vertexCount).fill(-1);
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  };
  for (let e = 0; e < edgeCount; e++) {
    const a = from[e];
    const b = to[e];
    if (parent[a] < 0) parent[a] = a;
    if (parent[b] < 0) parent[b] = b;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[ra] = rb;
  }
  const ofVertex = new Int32Array(vertexCount).fill(-1);
  const indexOfRoot = new Map<number, number>();
  const sizes: number[] = [];
  const edgeCounts: number[] = [];
  let nodeCount = 0;
  for (let v = 0; v < vertexCount; v++) {
    if (parent[v] < 0) continue;
    const root = find(v);
    let c = indexOfRoot.get(root);
    if (c === undefined) {
      c = sizes.length;
      indexOfRoot.set(root, c);
      sizes.push(0);
      edgeCounts.push(0);
    }
    ofVertex[v] = c;
    sizes[c]++;
    nodeCount++;
  }
  for (let e = 0; e < edgeCount; e++) edgeCounts[ofVertex[from[e]]]++;
  let largest = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c] > sizes[largest]) largest = c;
  return { ofVertex, sizes, edgeCounts, largest, nodeCount };
}
