// Sentences the server writes for people (triage reasons, priority explanations, why an incident
// was held back, the deterministic investigation report), kept as codes with parameters next to
// their English text, so the console can say them in the reader's language. Types only; the
// catalogue of codes and the English templates are in src/i18n/messages-en.ts.

/** Parameter values: data (host names, rule titles, counts) or enum values the catalogue translates. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** One sentence or fragment: a catalogue code (`triage.maxLevel`) and its parameters. */
export interface Message {
  readonly code: string;
  readonly params?: MessageParams;
}

/**
 * A text built from pieces, rendered by concatenation: messages are translated, plain strings
 * (punctuation, rule titles, indicator values) are kept as they are.
 */
export type Phrase = readonly (Message | string)[];
