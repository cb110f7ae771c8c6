// i18next set up with the console's two languages; the choice is remembered in localStorage.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { zh } from './zh.ts';

export type Language = 'en' | 'zh';

export function initialLanguage(): Language {
  const saved = localStorage.getItem('vigil.language');
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export async function setupI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, zh: { translation: zh } },
    lng: initialLanguage(),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  return i18next;
}

export async function changeLanguage(language: Language): Promise<void> {
  localStorage.setItem('vigil.language', language);
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  await i18next.changeLanguage(language);
}
