import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.ts';

describe('Metrics', () => {
  it('counts per label set and renders the Prometheus text format', () => {
    const metrics = new Metrics();
    metrics.inc('vigil_events_in_total', { source: 'http' }, 3, 'Events received');
    metrics.inc('vigil_events_in_total', { source: 'http' });
    metrics.inc('vigil_events_in_total', { source: 'syslog-udp' }, 2);
    metrics.set('vigil_queue_bytes', {}, 512);
    expect(metrics.get('vigil_events_in_total', { source: 'http' })).toBe(4);
    expect(metrics.sum('vigil_events_in_total')).toBe(6);
    const text = metrics.render();
    expect(text).toContain('# TYPE vigil_events_in_total counter');
    expect(text).toContain('# HELP vigil_events_in_total Events received');
    expect(text).toContain('vigil_events_in_total{source="http"} 4');
    expect(text).toContain('vigil_events_in_total{source="syslog-udp"} 2');
    expect(text).toContain('vigil_queue_bytes 512');
  });

  it('escapes label values', () => {
    const metrics = new Metrics();
    metrics.inc('x', { path: 'C:\\logs\n"a"' });
    expect(metrics.render()).toContain('x{path="C:\\\\logs\\n\\"a\\""} 1');
  });
});
