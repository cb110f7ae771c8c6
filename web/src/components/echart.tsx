// A thin React wrapper over an ECharts instance: created once, options replaced on change,
// resized with its container, disposed on unmount.
import * as echarts from 'echarts';
import { type CSSProperties, useEffect, useRef } from 'react';

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
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, theme === 'dark' ? 'dark' : undefined);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, [theme]);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
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
