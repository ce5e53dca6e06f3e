/** Whether a Kiro model takes native reasoning fields, as its ListAvailableModels entry advertises them. */

export interface ReasoningSupport {
  /** The effort levels the model accepts, lowest first. */
  efforts: readonly string[];
  defaultEffort?: string;
}

/** The schema a ListAvailableModels entry advertises → its support, or undefined when it has no effort field. */
export function reasoningSupportFromSchema(schema: unknown): ReasoningSupport | undefined {
  const properties = field(schema, 'properties');
  const effort = field(field(field(properties, 'output_config'), 'properties'), 'effort');
  const thinkingTypes = field(field(field(field(properties, 'thinking'), 'properties'), 'type'), 'enum');
  if (Array.isArray(thinkingTypes) && !thinkingTypes.includes('adaptive')) return undefined;
  const efforts = field(effort, 'enum');
  if (!Array.isArray(efforts) || efforts.length === 0) return undefined;
  const defaultEffort = field(effort, 'default');
  return {
    efforts: efforts.filter((value): value is string => typeof value === 'string'),
    ...(typeof defaultEffort === 'string' ? { defaultEffort } : {}),
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
