// Console entry: set up i18n, then render the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadPage } from './app.tsx';
import { setupI18n } from './i18n/i18n.ts';

preloadPage(location.pathname);
await setupI18n();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
