type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The component with `custom_id`, searched through rows, sections and labels; null when there is none. */
export function findComponent(nodes: unknown, customId: string): JsonObject | null {
  if (Array.isArray(nodes)) {
    for (const node of nodes) {
      const found = findComponent(node, customId);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(nodes)) return null;
  if (nodes.custom_id === customId) return nodes;
  return (
    findComponent(nodes.components, customId) ??
    findComponent(nodes.accessory, customId) ??
    findComponent(nodes.component, customId)
  );
}

/** The submitted components mirror the modal: rows or labels around text inputs and selects with their values. */
export function mirrorModal(nodes: unknown, values: Record<string, string | string[]>): unknown {
  if (Array.isArray(nodes)) return nodes.map((node) => mirrorModal(node, values));
  if (!isObject(nodes)) return nodes;
  if (Array.isArray(nodes.components))
    return { type: nodes.type, id: nodes.id, components: mirrorModal(nodes.components, values) };
  if (isObject(nodes.component))
    return { type: nodes.type, id: nodes.id, component: mirrorModal(nodes.component, values) };
  if (typeof nodes.custom_id !== "string") return { type: nodes.type, id: nodes.id };
  const value = values[nodes.custom_id];
  if (nodes.type === 4)
    return {
      type: 4,
      id: nodes.id,
      custom_id: nodes.custom_id,
      value: typeof value === "string" ? value : "",
    };
  return {
    type: nodes.type,
    id: nodes.id,
    custom_id: nodes.custom_id,
    values: Array.isArray(value) ? value : value ? [value] : [],
  };
}

/** Discord numbers every component of a stored message; the numbers come back in `id`. */
export function withComponentIds(components: unknown[]): unknown[] {
  let next = 1;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isObject(node)) return node;
    const out: JsonObject = { ...node };
    if (typeof node.type === "number" && node.id === undefined) out.id = next++;
    for (const key of ["components", "accessory", "component"]) if (key in node) out[key] = visit(node[key]);
    return out;
  };
  return components.map(visit);
}
