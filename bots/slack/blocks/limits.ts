// Slack's Block Kit limits, and a pure validator that reports every breach in a payload (messages, modals and the
// App Home tab). Renderers clip to these limits; tests run every payload the bot can produce through this check.

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  textObject: 3000,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  buttonValue: 2000,
  url: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  inputMaxLength: 3000,
} as const;

export type Surface = 'message' | 'modal' | 'home';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string | undefined => (isObj(v) && typeof v.text === 'string' ? v.text : undefined);

/** Every breach of Slack's limits in `blocks`, as "path: what" lines; empty when the payload is valid. */
export function checkBlockKitLimits(blocks: readonly unknown[], surface: Surface = 'message'): string[] {
  const problems: string[] = [];
  const max = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > max) problems.push(`blocks: ${blocks.length} blocks > ${max}`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `blocks[${i}]`;
    if (!isObj(b)) {
      problems.push(`${at}: not an object`);
      return;
    }
    if (b.block_id !== undefined) {
      const id = String(b.block_id);
      if (id.length > LIMITS.blockId) problems.push(`${at}.block_id: ${id.length} characters > ${LIMITS.blockId}`);
      if (blockIds.has(id)) problems.push(`${at}.block_id: "${id}" is not unique`);
      blockIds.add(id);
    }
    switch (b.type) {
      case 'section':
        checkSection(b, at, problems);
        break;
      case 'header': {
        const t = textOf(b.text);
        if (t === undefined || (b.text as Json).type !== 'plain_text') problems.push(`${at}.text: a header needs plain_text`);
        else limit(problems, `${at}.text`, t, LIMITS.headerText);
        break;
      }
      case 'context': {
        const els = Array.isArray(b.elements) ? b.elements : [];
        if (els.length === 0) problems.push(`${at}.elements: empty`);
        if (els.length > LIMITS.contextElements) problems.push(`${at}.elements: ${els.length} > ${LIMITS.contextElements}`);
        els.forEach((e, j) => {
          const t = textOf(e);
          if (t !== undefined) limit(problems, `${at}.elements[${j}]`, t, LIMITS.textObject);
        });
        break;
      }
      case 'actions': {
        const els = Array.isArray(b.elements) ? b.elements : [];
        if (els.length === 0) problems.push(`${at}.elements: empty`);
        if (els.length > LIMITS.actionsElements) problems.push(`${at}.elements: ${els.length} > ${LIMITS.actionsElements}`);
        const ids = new Set<string>();
        els.forEach((e, j) => {
          checkElement(e, `${at}.elements[${j}]`, problems);
          const id = isObj(e) && typeof e.action_id === 'string' ? e.action_id : undefined;
          if (id !== undefined) {
            if (ids.has(id)) problems.push(`${at}.elements[${j}].action_id: "${id}" is not unique in the block`);
            ids.add(id);
          }
        });
        break;
      }
      case 'input': {
        if (surface === 'message') problems.push(`${at}: input blocks belong in modals and the Home tab`);
        const label = textOf(b.label);
        if (label === undefined) problems.push(`${at}.label: missing`);
        else limit(problems, `${at}.label`, label, LIMITS.inputLabel);
        const hint = textOf(b.hint);
        if (hint !== undefined) limit(problems, `${at}.hint`, hint, LIMITS.inputHint);
        checkElement(b.element, `${at}.element`, problems);
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${at}.type: "${String(b.type)}" is not checked by this validator`);
    }
  });
  return problems;
}

/** A whole message payload: fallback text plus blocks. */
export function checkMessageLimits(message: { text?: string; blocks?: readonly unknown[] }): string[] {
  const problems = checkBlockKitLimits(message.blocks ?? [], 'message');
  const text = message.text ?? '';
  if (text.trim() === '') problems.push('text: a message needs fallback text for notifications');
  limit(problems, 'text', text, LIMITS.messageText);
  return problems;
}

/** A modal or Home tab view. */
export function checkViewLimits(view: Json): string[] {
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  const problems = checkBlockKitLimits(Array.isArray(view.blocks) ? view.blocks : [], surface);
  if (surface === 'modal') {
    const title = textOf(view.title);
    if (title === undefined) problems.push('view.title: missing');
    else limit(problems, 'view.title', title, LIMITS.viewTitle);
    for (const k of ['submit', 'close'] as const) {
      const t = textOf(view[k]);
      if (t !== undefined) limit(problems, `view.${k}`, t, LIMITS.viewButton);
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) problems.push('view.submit: a modal with inputs needs a submit button');
  }
  if (typeof view.private_metadata === 'string') limit(problems, 'view.private_metadata', view.private_metadata, LIMITS.privateMetadata);
  if (typeof view.callback_id === 'string') limit(problems, 'view.callback_id', view.callback_id, LIMITS.callbackId);
  return problems;
}

function checkSection(b: Json, at: string, problems: string[]): void {
  const t = textOf(b.text);
  const fields = Array.isArray(b.fields) ? b.fields : undefined;
  if (t === undefined && !fields) problems.push(`${at}: a section needs text or fields`);
  if (t !== undefined) {
    limit(problems, `${at}.text`, t, LIMITS.sectionText);
    if (t.length === 0) problems.push(`${at}.text: empty`);
  }
  if (fields) {
    if (fields.length === 0) problems.push(`${at}.fields: empty`);
    if (fields.length > LIMITS.sectionFields) problems.push(`${at}.fields: ${fields.length} > ${LIMITS.sectionFields}`);
    fields.forEach((f, j) => {
      limit(problems, `${at}.fields[${j}]`, textOf(f) ?? '', LIMITS.fieldText);
    });
  }
  if (b.accessory !== undefined) checkElement(b.accessory, `${at}.accessory`, problems);
}

function checkElement(e: unknown, at: string, problems: string[]): void {
  if (!isObj(e)) {
    problems.push(`${at}: missing`);
    return;
  }
  if (typeof e.action_id === 'string') limit(problems, `${at}.action_id`, e.action_id, LIMITS.actionId);
  if (e.type === 'button') {
    const t = textOf(e.text);
    if (t === undefined) problems.push(`${at}.text: missing`);
    else limit(problems, `${at}.text`, t, LIMITS.buttonText);
    if (typeof e.value === 'string') limit(problems, `${at}.value`, e.value, LIMITS.buttonValue);
    if (typeof e.url === 'string') limit(problems, `${at}.url`, e.url, LIMITS.url);
    if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') problems.push(`${at}.style: "${String(e.style)}" is not primary or danger`);
  }
  if (e.type === 'plain_text_input') {
    const p = textOf(e.placeholder);
    if (p !== undefined) limit(problems, `${at}.placeholder`, p, LIMITS.placeholder);
    if (typeof e.max_length === 'number' && e.max_length > LIMITS.inputMaxLength) problems.push(`${at}.max_length: ${e.max_length} > ${LIMITS.inputMaxLength}`);
  }
  if (isObj(e.confirm)) {
    const c = e.confirm;
    limit(problems, `${at}.confirm.title`, textOf(c.title) ?? '', LIMITS.confirmTitle);
    limit(problems, `${at}.confirm.text`, textOf(c.text) ?? '', LIMITS.confirmText);
    limit(problems, `${at}.confirm.confirm`, textOf(c.confirm) ?? '', LIMITS.confirmButton);
    limit(problems, `${at}.confirm.deny`, textOf(c.deny) ?? '', LIMITS.confirmButton);
  }
}

function limit(problems: string[], at: string, text: string, max: number): void {
  if (text.length > max) problems.push(`${at}: ${text.length} characters > ${max}`);
}
