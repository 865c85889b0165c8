/**
 * `compute` with its answers remembered by key: names, images and labels repeat across a tree,
 * so most calls are lookups. The table is cleared when it reaches `max` entries, so it stays
 * small on hostile input (a tree of distinct names).
 */
export function boundedMemo<T>(compute: (key: string) => T, max = 20_000): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    let known = memo.get(key);
    if (known === undefined) {
      known = compute(key);
      if (memo.size >= max) memo.clear();
      memo.set(key, known);
    }
    return known;
  };
}
