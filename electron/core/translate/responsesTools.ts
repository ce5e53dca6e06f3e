/**
 * Responses tools → Anthropic tools. Function tools pass through; a `namespace` tool (a named group of function
 * tools, as the Codex CLI declares them) is flattened into plain tools named `<namespace>__<name>`, which the
 * Kiro translation then shortens like any long name; calls are split back into `{namespace, name}` on the way
 * out. The built-in `web_search` becomes the Anthropic web search server tool, which Kiro Dock runs through Kiro's
 * search (docs/web-search.md); other built-in tools (file_search, …) have no Kiro counterpart and are dropped.
 */
import type { AnthropicRequest, AnthropicTool } from './anthropicRequest.ts';
import { RequestError } from './requestError.ts';
import { WEB_SEARCH_TOOL_TYPE } from './webSearchTool.ts';
import type { ResponsesRequest, ResponsesTool } from './responsesRequest.ts';

const NAMESPACE_SEPARATOR = '__';

/** A function as the client names it: its own name, and the namespace it was declared in, if any. */
export interface ClientFunctionName {
  name: string;
  namespace?: string;
}

export interface ResponsesTools {
  tools: AnthropicTool[];
  /** Flattened name → the client's `{namespace, name}`; names outside a namespace are absent. */
  namespaced: Record<string, ClientFunctionName>;
}

/** The flat name a function goes by in the Anthropic request. */
export function flatToolName(call: ClientFunctionName): string {
  return call.namespace ? `${call.namespace}${NAMESPACE_SEPARATOR}${call.name}` : call.name;
}

/** The client's name for a flat name (identity outside namespaces). */
export function clientFunctionName(
  flatName: string,
  namespaced: Readonly<Record<string, ClientFunctionName>>,
): ClientFunctionName {
  return Object.hasOwn(namespaced, flatName) ? namespaced[flatName]! : { name: flatName };
}

export function convertResponsesTools(tools: readonly ResponsesTool[] | undefined): ResponsesTools {
  const converted: ResponsesTools = { tools: [], namespaced: {} };
  for (const tool of tools ?? []) {
    if (tool.type === 'function') converted.tools.push(functionTool(tool, undefined));
    else if (tool.type === 'namespace') addNamespace(converted, tool);
    else if (WEB_SEARCH_TYPES.has(tool.type)) converted.tools.push(webSearchTool(tool));
  }
  return converted;
}

const WEB_SEARCH_TYPES = new Set(['web_search', 'web_search_preview', 'web_search_2025_08_26']);

/** `filters.allowed_domains` is the Responses API's only domain rule; it maps one to one. */
function webSearchTool(tool: ResponsesTool): AnthropicTool {
  const filters = (tool as { filters?: { allowed_domains?: unknown } }).filters;
  const allowed = filters?.allowed_domains;
  const domains = Array.isArray(allowed) ? allowed.filter((d): d is string => typeof d === 'string') : [];
  return {
    type: WEB_SEARCH_TOOL_TYPE,
    name: 'web_search',
    ...(domains.length > 0 ? { allowed_domains: domains } : {}),
  };
}

function addNamespace(converted: ResponsesTools, tool: ResponsesTool): void {
  const namespace = stringField(tool, 'name', 'a namespace tool needs a "name"');
  const members = (tool as { tools?: unknown }).tools;
  if (!Array.isArray(members)) throw new RequestError(`namespace "${namespace}" needs a "tools" array`);
  for (const member of members as ResponsesTool[]) {
    if (member.type !== 'function') continue;
    const anthropicTool = functionTool(member, namespace);
    converted.tools.push(anthropicTool);
    converted.namespaced[anthropicTool.name] = { namespace, name: String(member.name) };
  }
}

function functionTool(tool: ResponsesTool, namespace: string | undefined): AnthropicTool {
  const name = stringField(tool, 'name', 'every function tool needs a "name"');
  const { description, parameters } = tool as { description?: unknown; parameters?: unknown };
  return {
    name: flatToolName({ name, namespace }),
    ...(typeof description === 'string' && description !== '' ? { description } : {}),
    input_schema:
      parameters !== null && typeof parameters === 'object'
        ? (parameters as Record<string, unknown>)
        : { type: 'object', properties: {} },
  };
}

function stringField(tool: ResponsesTool, key: string, problem: string): string {
  const value = (tool as Record<string, unknown>)[key];
  if (typeof value !== 'string' || value === '') throw new RequestError(problem);
  return value;
}

/**
 * `tool_choice`: a named function must be declared (the real API's 400 too); choices about built-in tools or
 * `allowed_tools` lists fall back to `auto`, the model still sees only the tools it was given.
 */
export function convertResponsesToolChoice(
  choice: ResponsesRequest['tool_choice'],
  tools: ResponsesTools,
): AnthropicRequest['tool_choice'] | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto' || choice === 'none') return { type: choice };
  if (choice === 'required') return { type: 'any' };
  if (choice.type !== 'function') return { type: 'auto' };
  const namespace = (choice as { namespace?: unknown }).namespace;
  const name = flatToolName({
    name: choice.name ?? '',
    namespace: typeof namespace === 'string' ? namespace : undefined,
  });
  if (!tools.tools.some((tool) => tool.name === name)) {
    const declared = tools.tools.slice(0, 10).map((tool) => tool.name);
    throw new RequestError(
      `tool_choice names the function "${name}", which is not in tools (${declared.join(', ') || 'none are declared'})`,
    );
  }
  return { type: 'tool', name };
}
