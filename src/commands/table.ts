// Lookup tables keyed by what people type. A plain object literal answers `constructor`,
// `__proto__` or `toString` with Object.prototype's members, so every such table is a Map.
export const table = <V>(entries: Record<string, V>): ReadonlyMap<string, V> => new Map(Object.entries(entries));
