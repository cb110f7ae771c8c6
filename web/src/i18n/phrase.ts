// Server-written sentences (triage reasons, priority parts, held-back reasons, titles, the
// deterministic report) in the console's language, from their codes and parameters; the server's
// English text when a phrase is absent (older records, LLM reports) or has a code this console
// does not know.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { messagesEn, messageValuesEn } from '../../../src/i18n/messages-en.ts';
import { renderPhraseIn } from '../../../src/i18n/render.ts';
import type { Phrase } from '../../../src/model/message.ts';
import { messagesZh, messageValuesZh } from './server-zh.ts';

export type SayPhrase = (phrase: Phrase | undefined, text: string) => string;

export function usePhrase(): SayPhrase {
  const { i18n } = useTranslation();
  const chinese = i18n.language.startsWith('zh');
  return useCallback(
    (phrase, text) => {
      if (!phrase) return text;
      const said = chinese
        ? renderPhraseIn(messagesZh, messageValuesZh, phrase)
        : renderPhraseIn(messagesEn, messageValuesEn, phrase);
      return said ?? text;
    },
    [chinese],
  );
}
