// The console's rendering of an automatic re-investigation's reason (web/src/i18n/growth.ts), in
// both of its languages, through i18next with the console's own catalogues.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.ts';
import { growthText } from '../../web/src/i18n/growth.ts';
import { zh } from '../../web/src/i18n/zh.ts';

async function translator(language: 'en' | 'zh') {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { en: { translation: en }, zh: { translation: zh } },
    lng: language,
    interpolation: { escapeValue: false },
  });
  return (key: string, options?: Record<string, unknown>) => instance.t(key, options ?? {}) as string;
}

const reason = {
  summary: 'priority 40 → 62; new tactics TA0008 Lateral Movement, TA0010 Exfiltration; alerts 3 → 9',
  priority: { from: 40, to: 62 },
  newTactics: ['TA0008', 'TA0010'],
  alerts: { from: 3, to: 9 },
};

describe('growthText', () => {
  it('reads in English from the structured reason', async () => {
    const t = await translator('en');
    expect(growthText(reason, t)).toBe('priority 40 → 62; new tactics TA0008, TA0010; alerts 3 → 9');
    expect(growthText({ summary: 'x', newTactics: ['TA0008'] }, t)).toBe('new tactic TA0008');
  });

  it('reads in Chinese, with no English words left', async () => {
    const t = await translator('zh');
    const text = growthText(reason, t);
    expect(text).toBe('优先级 40 → 62;新战术 TA0008, TA0010;告警 3 → 9');
    expect(text).not.toMatch(/priority|alerts|tactic|\{\{/);
  });

  it('keeps the server summary when the reason has no ground it knows', async () => {
    const t = await translator('zh');
    expect(growthText({ summary: 'grown' }, t)).toBe('grown');
  });
});
