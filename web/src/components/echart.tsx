// A thin React wrapper over an ECharts instance: created once, options replaced on change,
// resized with its container, disposed on unmount.
import * as echarts from 'echarts';
import { type CSSProperties, useEffect, useRef } from 'react';
import { useThemeName } from './theme-name.ts';

/** Time-axis labels: the date at day boundaries (ECharts would print only the day of the month). */
export const timeAxisLabels = {
  year: '{yyyy}',
  month: '{yyyy}-{MM}',
  day: '{MM}-{dd}',
  hour: '{HH}:{mm}',
  minute: '{HH}:{mm}',
  second: '{HH}:{mm}:{ss}',
};

export function EChart({
  option,
  style,
  theme,
  onClick,
}: {
  option: echarts.EChartsCoreOption;
  style?: CSSProperties;
  theme?: 'dark' | 'light';
  onClick?: (params: echarts.ECElementEvent) => void;
}) {
  const current = useThemeName();
  const themeName = theme ?? current;
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, themeName === 'dark' ? 'dark' : undefined);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, [themeName]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a theme change re-creates the chart, which needs the option again
  useEffect(() => {
    // The page's own background shows through (ECharts' dark theme paints its own otherwise).
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, true);
  }, [option, themeName]);
  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onClick) return;
    instance.on('click', onClick);
    return () => {
      instance.off('click', onClick);
    };
  }, [onClick]);
  return <div ref={element} style={{ width: '100%', height: 160, ...style }} />;
}
