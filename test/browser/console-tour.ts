// A screenshot tour of every console page (light and dark, English and Chinese) against a
// running node, for looking at the console and for docs/console.md. Not a test:
//   node test/browser/console-tour.ts http://127.0.0.1:8080 PASSWORD [OUT_DIR]
// Prints the console errors seen per page; exits 1 when there were any.
import { join } from 'node:path';
import { launchChromium, openPage, screenshotDir } from './chromium.ts';

const argv = process.argv.slice(2);
const base = argv[0] ?? 'http://127.0.0.1:8080';
const password = argv[1] ?? process.env.VIGIL_ADMIN_PASSWORD ?? '';
const out = argv[2] ?? screenshotDir;
const pages = ['overview', 'incidents', 'incident', 'hunt', 'rules', 'intel', 'posture', 'sources', 'settings'];
const combos = [
  { language: 'en', theme: 'light' },
  { language: 'en', theme: 'dark' },
  { language: 'zh', theme: 'light' },
  { language: 'zh', theme: 'dark' },
] as const;
const only = process.env.TOUR_PAGES?.split(',');
const onlyCombos = process.env.TOUR_COMBOS?.split(',');

const browser = await launchChromium();
let failures = 0;
try {
  for (const combo of combos) {
    if (onlyCombos && !onlyCombos.includes(`${combo.language}-${combo.theme}`)) continue;
    const watched = await openPage(browser, { locale: combo.language === 'zh' ? 'zh-CN' : 'en-US' });
    const { page } = watched;
    await page.addInitScript(
      ({ language, theme }) => {
        localStorage.setItem('vigil.language', language);
        localStorage.setItem('vigil.theme', theme);
      },
      { language: combo.language, theme: combo.theme },
    );
    await page.goto(base);
    if (combo.language === 'en' && combo.theme === 'light')
      await page.screenshot({ path: join(out, 'tour-sign-in.png') });
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill(password);
    await page.locator('button[type=submit]').click();
    await page.waitForSelector('.ant-layout-sider', { timeout: 15_000 });
    for (const name of pages) {
      if (only && !only.includes(name)) continue;
      const before = watched.errors.length;
      if (name === 'incident') {
        await page.goto(`${base}/incidents`);
        await page.locator('.ant-table-row').first().click({ timeout: 15_000 });
      } else await page.goto(`${base}/${name}`);
      await page.waitForLoadState('networkidle', { timeout: 20_000 }).catch(() => undefined);
      await page.waitForTimeout(1500);
      const file = join(out, `tour-${name}-${combo.language}-${combo.theme}.png`);
      await page.screenshot({ path: file, fullPage: process.env.TOUR_FULL === '1' });
      const errors = watched.errors.slice(before);
      failures += errors.length;
      console.log(`${file}${errors.length ? `\n  errors:\n    ${errors.join('\n    ')}` : ''}`);
    }
    await page.context().close();
  }
} finally {
  await browser.close();
}
process.exitCode = failures ? 1 : 0;
