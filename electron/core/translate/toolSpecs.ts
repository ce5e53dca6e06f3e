/**
 * Anthropic `tools` → Kiro tool specifications (docs/upstream/request-rules.md rules 6–8 and 11). Server tools and
 * web search are removed (Kiro cannot run them), every tool used in history is declared (Kiro rejects history
 * that names an undeclared tool), names are made Kiro-safe, and over-long descriptions move into the system
 * prompt so nothing the client wrote is lost.
 */
import type { KiroToolSpecification } from '../kiro/kiroRequest.ts';
import type { AnthropicTool } from './anthropicRequest.ts';
import { cleanJsonSchema } from './jsonSchemaCleanup.ts';
import type { ToolNameMap } from './toolNames.ts';

const MAX_TOOL_DESCRIPTION_LENGTH = 10_000;
const HISTORY_TOOL_DESCRIPTION = 'Tool used earlier in this conversation.';
const WEB_SEARCH_NAMES = new Set(['web_search', 'websearch']);

export interface KiroTools {
  tools: KiroToolSpecification[];
  /** `## Tool: <name>` sections holding descriptions too long for the tool list, for the system prompt. */
  systemSections: string[];
}

export function buildKiroTools(
  declared: readonly AnthropicTool[] | undefined,
  historyToolNames: Iterable<string>,
  names: ToolNameMap,
): KiroTools {
  const result: KiroTools = { tools: [], systemSections: [] };
  const seen = new Set<string>();
  for (const tool of declared ?? []) {
    if (!isKiroExecutable(tool) || seen.has(tool.name.toLowerCase())) continue;
    seen.add(tool.name.toLowerCase());
    const name = names.toKiro(tool.name);
    const { description, systemSection } = kiroDescription(name, tool.description);
    if (systemSection !== undefined) result.systemSections.push(systemSection);
    result.tools.push(
      toolSpecification(name, description, cleanJsonSchema(tool.input_schema, `tool "${tool.name}"`)),
    );
  }
  for (const historyName of historyToolNames) {
    if (seen.has(historyName.toLowerCase())) continue;
    seen.add(historyName.toLowerCase());
    result.tools.push(
      toolSpecification(names.toKiro(historyName), HISTORY_TOOL_DESCRIPTION, cleanJsonSchema({})),
    );
  }
  return result;
}

/** Server tools (`type` other than "custom", e.g. web_search_20250305) run on Anthropic's side, not the client's. */
function isKiroExecutable(tool: AnthropicTool): boolean {
  const isServerTool = tool.type !== undefined && tool.type !== 'custom';
  return !isServerTool && !WEB_SEARCH_NAMES.has(tool.name.toLowerCase());
}

function kiroDescription(
  name: string,
  description: string | undefined,
): { description: string; systemSection?: string } {
  if (description === undefined || !/\S/.test(description)) return { description: `Tool: ${name}` };
  if (description.length <= MAX_TOOL_DESCRIPTION_LENGTH) return { description };
  const pointer = `\n\n[Description shortened; the full text is in the system prompt under "## Tool: ${name}".]`;
  const prefix = withoutDanglingSurrogate(
    description.slice(0, MAX_TOOL_DESCRIPTION_LENGTH - pointer.length - 1),
  );
  return { description: `${prefix}…${pointer}`, systemSection: `## Tool: ${name}\n\n${description}` };
}

function toolSpecification(
  name: string,
  description: string,
  schema: Record<string, unknown>,
): KiroToolSpecification {
  return { toolSpecification: { name, description, inputSchema: { json: schema } } };
}

function withoutDanglingSurrogate(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}
