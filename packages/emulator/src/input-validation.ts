/** One input property, in the subset of JSON Schema that cog emits. */
export interface InputProperty {
  type: "string" | "integer" | "number" | "boolean";
  title?: string;
  description?: string;
  format?: "uri";
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  "x-order": number;
}

/** A model's `components.schemas.Input`. */
export interface InputSchema {
  type: "object";
  title: "Input";
  required: readonly string[];
  properties: Record<string, InputProperty>;
}

/** One entry of a 422's `invalid_fields`. */
export interface InvalidField {
  type: "required" | "invalid_type" | "enum" | "number_gte" | "number_lte";
  field: string;
  description: string;
}

/** Valid input with defaults applied, or every problem found. */
export type InputCheck =
  | { ok: true; input: Record<string, unknown> }
  | { ok: false; invalidFields: InvalidField[] };

const typeMatches = (type: InputProperty["type"], value: unknown): boolean => {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
  }
};

const describeValue = (value: unknown) =>
  Array.isArray(value) ? "array" : value === null ? "null" : typeof value;

/** Checks input against a model's schema like Replicate does; unknown keys are ignored. */
export function validateInput(schema: InputSchema, input: Record<string, unknown>): InputCheck {
  const invalidFields: InvalidField[] = [];
  const out: Record<string, unknown> = {};
  for (const name of schema.required) {
    if (input[name] === undefined || input[name] === null) {
      invalidFields.push({ type: "required", field: "input", description: `${name} is required` });
    }
  }
  for (const [name, property] of Object.entries(schema.properties)) {
    const value = input[name];
    if (value === undefined || value === null) {
      if (property.default !== undefined) out[name] = property.default;
      continue;
    }
    const field = `input.${name}`;
    if (!typeMatches(property.type, value)) {
      const description = `Invalid type. Expected: ${property.type}, given: ${describeValue(value)}`;
      invalidFields.push({ type: "invalid_type", field, description });
      continue;
    }
    if (property.enum && !property.enum.includes(value as string | number)) {
      const choices = property.enum.map((choice) => JSON.stringify(choice)).join(", ");
      invalidFields.push({
        type: "enum",
        field,
        description: `${name} must be one of the following: ${choices}`,
      });
      continue;
    }
    if (property.minimum !== undefined && (value as number) < property.minimum) {
      const description = `Must be greater than or equal to ${property.minimum}`;
      invalidFields.push({ type: "number_gte", field, description });
      continue;
    }
    if (property.maximum !== undefined && (value as number) > property.maximum) {
      const description = `Must be less than or equal to ${property.maximum}`;
      invalidFields.push({ type: "number_lte", field, description });
      continue;
    }
    out[name] = value;
  }
  return invalidFields.length > 0 ? { ok: false, invalidFields } : { ok: true, input: out };
}

/** Replicate's `detail` text: one `- field: description` line per problem. */
export function invalidFieldsDetail(invalidFields: readonly InvalidField[]): string {
  return invalidFields.map((f) => `- ${f.field}: ${f.description}\n`).join("");
}
