// The console's current theme (light or dark), for components that draw outside Ant Design
// (ECharts, Cytoscape) and must match it.
import { createContext, useContext } from 'react';

export type ThemeName = 'light' | 'dark';

export const ThemeNameContext = createContext<ThemeName>('light');

export function useThemeName(): ThemeName {
  return useContext(ThemeNameContext);
}
