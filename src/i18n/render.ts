// Messages and phrases (src/model/message.ts) built type-safely on the server and rendered into
// English for the API's `text` fields, the CLI and the LLM's context.
import type { Message, MessageParams, Phrase } from '../model/message.ts';
import {
  type MessageCatalogue,
  type MessageCode,
  type MessageValueCatalogue,
  messagesEn,
  messageValuesEn,
} from './messages-en.ts';

/** A message of a code the catalogue has. */
export function message(code: MessageCode, params?: MessageParams): Message {
  return params ? { code, params } : { code };
}

/** The template of `code` in a catalogue, or undefined when the code is unknown. */
export function templateOf(catalogue: MessageCatalogue, code: string): string | undefined {
  const dot = code.indexOf('.');
  if (dot < 0) return undefined;
  const group = (catalogue as unknown as Record<string, Record<string, string> | undefined>)[code.slice(0, dot)];
  const template = group?.[code.slice(dot + 1)];
  return typeof template === 'string' ? template : undefined;
}

/**
 * Fills `{{name}}` placeholders; a parameter whose name has a value catalogue (level, verdict, …)
 * is replaced by its name there when it has one. A missing parameter stays visible as `{{name}}`.
 */
export function fillTemplate(
  template: string,
  params: MessageParams | undefined,
  values: MessageValueCatalogue = messageValuesEn,
): string {
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const value = params?.[name];
    if (value === undefined) return placeholder;
    const names = (values as unknown as Record<string, Record<string, string> | undefined>)[name];
    return names?.[String(value)] ?? String(value);
  });
}

/** One message in English; an unknown code renders as the code itself. */
export function renderMessage(value: Message): string {
  const template = templateOf(messagesEn, value.code);
  return template === undefined ? value.code : fillTemplate(template, value.params);
}

/** A phrase in English. */
export function renderPhrase(phrase: Phrase): string {
  let text = '';
  for (const part of phrase) text += typeof part === 'string' ? part : renderMessage(part);
  return text;
}

/**
 * A phrase in the language of `catalogue` (the console's Chinese, say); undefined when a code is
 * not in it (a newer server than the console), so the caller shows the server's English text.
 */
export function renderPhraseIn(
  catalogue: MessageCatalogue,
  values: MessageValueCatalogue,
  phrase: Phrase,
): string | undefined {
  let text = '';
  for (const part of phrase) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const template = templateOf(catalogue, part.code);
    if (template === undefined) return undefined;
    text += fillTemplate(template, part.params, values);
  }
  return text;
}
