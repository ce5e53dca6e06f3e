import { describe, expect, it } from 'vitest';
import type { KiroConversationRequest } from '../../electron/core/kiro/kiroRequest.ts';
import { startKiroEmulator } from '../emulator/kiroEmulator.ts';
import { kiroRequestBody, toolSpecification } from '../emulator/kiroRequestBody.ts';
import { rawRequest } from '../emulator/rawRequest.ts';
import { findStrictRejection, findStrictViolation, MAX_BODY_BYTES } from '../emulator/strictValidator.ts';

const base64 = (bytes: number[] | string) => Buffer.from(bytes as never).toString('base64');
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const JPEG = base64([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00]);
const GIF = base64('GIF89a\x01\x00\x01\x00\x00\x00\x00');
const WEBP = base64('RIFF\x24\x00\x00\x00WEBPVP8 ');

/** History with a system pair, one tool round trip and two parallel tool uses answered by the current message. */
function validRequest(): KiroConversationRequest {
  const user = (content: string) => ({ content, modelId: 'claude-sonnet-4.5', origin: 'AI_EDITOR' });
  return kiroRequestBody('Tool results provided.', {
    tools: [toolSpecification('get_weather'), toolSpecification('read_file')],
    images: [{ format: 'jpeg', source: { bytes: JPEG } }],
    history: [
      {
        userInputMessage: {
          ...user('You are helpful.'),
          images: [{ format: 'png', source: { bytes: PNG } }],
        },
      },
      { assistantResponseMessage: { content: 'I will follow these instructions.' } },
      {
        userInputMessage: {
          ...user('Weather in Paris?'),
          images: [{ format: 'gif', source: { bytes: GIF } }],
        },
      },
      {
        assistantResponseMessage: {
          content: ' ',
          toolUses: [{ toolUseId: 'tooluse_1', name: 'Get_Weather', input: { city: 'Paris' } }],
        },
      },
      {
        userInputMessage: {
          ...user('Tool results provided.'),
          images: [{ format: 'webp', source: { bytes: WEBP } }],
          userInputMessageContext: {
            toolResults: [{ toolUseId: 'tooluse_1', content: [{ text: '18°C' }], status: 'success' }],
          },
        },
      },
      {
        assistantResponseMessage: {
          content: 'Checking both.',
          toolUses: [
            { toolUseId: 'tooluse_2', name: 'get_weather', input: { city: 'Oslo', nested: { '': 1 } } },
            { toolUseId: 'tooluse_3', name: 'read_file', input: {} },
          ],
        },
      },
    ],
    toolResults: [
      { toolUseId: 'tooluse_2', content: [{ json: { celsius: 4 } }], status: 'success' },
      { toolUseId: 'tooluse_3', content: [{ text: 'no such file' }], status: 'error' },
    ],
  });
}

/** The request as a plain JSON tree, for mutations the typed shape forbids. */
type Tree = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function state(body: Tree): Tree {
  return body['conversationState'];
}
function current(body: Tree): Tree {
  return state(body)['currentMessage']['userInputMessage'];
}
function history(body: Tree): Tree[] {
  return state(body)['history'];
}
function currentTools(body: Tree): Tree[] {
  return current(body)['userInputMessageContext']['tools'];
}

/** Each rule the real service enforces: a mutation of the valid request and the reason it must produce. */
const VIOLATIONS: Array<[string, RegExp, (body: Tree) => void]> = [
  ['body over 600 000 bytes', /bytes/, (b) => (current(b)['content'] = 'x'.repeat(MAX_BODY_BYTES))],
  ['missing conversationId', /conversationId/, (b) => delete state(b)['conversationId']],
  ['missing currentMessage', /currentMessage/, (b) => delete state(b)['currentMessage']],
  ['missing userInputMessage', /userInputMessage missing/, (b) => (state(b)['currentMessage'] = {})],
  ['empty current content', /currentMessage.content is empty/, (b) => (current(b)['content'] = '')],
  [
    'whitespace-only current content',
    /currentMessage.content is empty/,
    (b) => (current(b)['content'] = ' \n '),
  ],
  ['missing modelId', /modelId undefined/, (b) => delete current(b)['modelId']],
  ['modelId not in the catalogue', /claude-sonnet-4-5/, (b) => (current(b)['modelId'] = 'claude-sonnet-4-5')],
  [
    'history entry that is neither user nor assistant',
    /history\[2\] is not/,
    (b) => history(b).splice(2, 0, { toolUse: {} }),
  ],
  ['history starting with an assistant turn', /starts with an assistant/, (b) => history(b).splice(0, 1)],
  [
    'history ending with a user turn',
    /does not end with an assistant/,
    (b) => history(b).push({ userInputMessage: { content: 'more' } }),
  ],
  ['two user turns in a row', /follows another user/, (b) => history(b).splice(1, 1)],
  ['two assistant turns in a row', /follows another assistant/, (b) => history(b).splice(2, 1)],
  [
    'empty user content in history',
    /history\[2\].userInputMessage.content is empty/,
    (b) => (history(b)[2]!['userInputMessage']['content'] = ''),
  ],
  [
    'whitespace assistant content without tool uses',
    /history\[1\].assistantResponseMessage.content is empty/,
    (b) => (history(b)[1]!['assistantResponseMessage']['content'] = ' '),
  ],
  [
    'empty assistant content even with tool uses',
    /history\[3\].assistantResponseMessage.content is empty/,
    (b) => (history(b)[3]!['assistantResponseMessage']['content'] = ''),
  ],
  [
    'tool result for a tool use of an older turn',
    /tooluse_1 is not a tool use of the previous turn/,
    (b) =>
      current(b)['userInputMessageContext']['toolResults'].push({
        toolUseId: 'tooluse_1',
        content: [{ text: 'late' }],
      }),
  ],
  [
    'tool result in the first user message',
    /history\[0\].*not a tool use of the previous turn/,
    (b) =>
      (history(b)[0]!['userInputMessage']['userInputMessageContext'] = {
        toolResults: [{ toolUseId: 'tooluse_1', content: [] }],
      }),
  ],
  [
    'orphan tool use in the middle of history',
    /tool use tooluse_1 has no result/,
    (b) => delete history(b)[4]!['userInputMessage']['userInputMessageContext'],
  ],
  [
    'orphan tool use in the last assistant turn',
    /tool use tooluse_3 has no result/,
    (b) => current(b)['userInputMessageContext']['toolResults'].pop(),
  ],
  [
    'duplicate toolUseId across history',
    /duplicate toolUseId tooluse_1/,
    (b) => (history(b)[5]!['assistantResponseMessage']['toolUses'][0]['toolUseId'] = 'tooluse_1'),
  ],
  [
    'duplicate tool results in one message',
    /duplicate result for tooluse_2/,
    (b) =>
      current(b)['userInputMessageContext']['toolResults'].push({
        toolUseId: 'tooluse_2',
        content: [{ text: 'again' }],
      }),
  ],
  [
    'tool result status outside success|error',
    /status "ok"/,
    (b) => (current(b)['userInputMessageContext']['toolResults'][0]['status'] = 'ok'),
  ],
  ['tool used in history but not declared', /tool read_file is not declared/, (b) => currentTools(b).pop()],
  [
    'tool name over 64 characters',
    /65 characters/,
    (b) => (currentTools(b)[0]!['toolSpecification']['name'] = 'a'.repeat(65)),
  ],
  [
    'tool name with a dot',
    /mcp.weather/,
    (b) => (currentTools(b)[0]!['toolSpecification']['name'] = 'mcp.weather'),
  ],
  [
    'empty tool description',
    /description is empty/,
    (b) => (currentTools(b)[0]!['toolSpecification']['description'] = ' '),
  ],
  [
    'tool description over 10 000 characters',
    /10001 characters/,
    (b) => (currentTools(b)[0]!['toolSpecification']['description'] = 'd'.repeat(10_001)),
  ],
  [
    'tool schema that is not an object',
    /inputSchema.json is not an object/,
    (b) => (currentTools(b)[0]!['toolSpecification']['inputSchema'] = { json: [] }),
  ],
  [
    'tool use input that is not an object',
    /input is not an object/,
    (b) => (history(b)[3]!['assistantResponseMessage']['toolUses'][0]['input'] = '{"city":"Paris"}'),
  ],
  [
    'tool use input with an empty-string key',
    /empty-string key/,
    (b) => (history(b)[3]!['assistantResponseMessage']['toolUses'][0]['input'] = { '': 'x' }),
  ],
  [
    'image format outside png|jpeg|gif|webp',
    /"bmp" is not/,
    (b) => (current(b)['images'][0]['format'] = 'bmp'),
  ],
  [
    'image bytes of another format',
    /declared jpeg but its bytes are png/,
    (b) => (current(b)['images'][0]['source']['bytes'] = PNG),
  ],
  [
    'image bytes of no known format',
    /not a png, jpeg, gif or webp/,
    (b) => (current(b)['images'][0]['source']['bytes'] = base64('hello world!')),
  ],
];

describe('findStrictViolation', () => {
  it('accepts a well-formed request with history, parallel tools, results and images', () => {
    expect(findStrictViolation(validRequest())).toBeNull();
    expect(findStrictViolation(kiroRequestBody('hello'))).toBeNull();
  });

  it('accepts a body just under the size limit', () => {
    const body = kiroRequestBody('x'.repeat(MAX_BODY_BYTES - 400));
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(findStrictViolation(body)).toBeNull();
  });

  for (const [rule, reason, mutate] of VIOLATIONS) {
    it(`rejects ${rule}`, () => {
      const body = validRequest() as unknown as Tree;
      mutate(body);
      expect(findStrictViolation(body)).toMatch(reason);
    });
  }

  it('answers the upstream bodies: malformed, invalid model id, image mismatch', () => {
    const malformed = validRequest() as unknown as Tree;
    history(malformed).splice(1, 1);
    expect(findStrictRejection(malformed)?.body).toEqual({
      message: 'Improperly formed request.',
      reason: null,
    });
    const badModel = kiroRequestBody('hi', { modelId: 'gpt-4o' });
    expect(findStrictRejection(badModel)?.body).toEqual({
      message: 'Invalid model id',
      reason: 'INVALID_MODEL_ID',
    });
    const mismatch = kiroRequestBody('hi', { images: [{ format: 'png', source: { bytes: JPEG } }] });
    expect(findStrictRejection(mismatch)?.body).toEqual({
      message:
        'The image was specified using the image/png media type, but the image appears to be a image/jpeg image',
      reason: null,
    });
  });
});

describe('strict mode in the server', () => {
  it('answers violations with 400 and logs them; with strict off the same request is answered', async () => {
    const emulator = await startKiroEmulator();
    const { accessToken } = emulator.createSocialAccount();
    const body = kiroRequestBody('hi', { history: [{ assistantResponseMessage: { content: 'first?' } }] });
    const send = () =>
      rawRequest(`${emulator.url}/generateAssistantResponse`, {
        body,
        headers: { authorization: `Bearer ${accessToken}` },
      });
    const rejected = await send();
    expect(rejected.status).toBe(400);
    expect(JSON.parse(rejected.body.toString())).toEqual({
      message: 'Improperly formed request.',
      reason: null,
    });
    expect(emulator.strictRejections()).toEqual([
      expect.objectContaining({
        status: 400,
        strictRejection: 'history starts with an assistant turn',
        body,
      }),
    ]);
    emulator.setOptions({ strict: false });
    expect((await send()).status).toBe(200);
    expect(emulator.strictRejections()).toHaveLength(1);
    await emulator.close();
  });
});
