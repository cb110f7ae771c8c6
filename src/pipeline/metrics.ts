// Prometheus-style metrics registry: counters and gauges with labels, rendered in the text
// exposition format for GET /metrics. An instance is passed to stages; there is no global one.

type Labels = Record<string, string>;

interface Family {
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  readonly series: Map<string, { labels: Labels; value: number }>;
}

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let key = '';
  for (const name of keys) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export class Metrics {
  readonly #families = new Map<string, Family>();

  #family(name: string, type: Family['type'], help: string): Family {
    let family = this.#families.get(name);
    if (!family) {
      family = { type, help, series: new Map() };
      this.#families.set(name, family);
    }
    return family;
  }

  /** Add `amount` (default 1) to a counter. */
  inc(name: string, labels: Labels = {}, amount = 1, help = name): void {
    const series = this.#family(name, 'counter', help).series;
    const key = labelKey(labels);
    const entry = series.get(key);
    if (entry) entry.value += amount;
    else series.set(key, { labels: { ...labels }, value: amount });
  }

  /** Set a gauge to a value. */
  set(name: string, labels: Labels, value: number, help = name): void {
    const series = this.#family(name, 'gauge', help).series;
    const key = labelKey(labels);
    const entry = series.get(key);
    if (entry) entry.value = value;
    else series.set(key, { labels: { ...labels }, value });
  }

  /** Current value of one series (0 if never touched). */
  get(name: string, labels: Labels = {}): number {
    return this.#families.get(name)?.series.get(labelKey(labels))?.value ?? 0;
  }

  /** Sum over all series of a metric whose labels include `match`. */
  sum(name: string, match: Labels = {}): number {
    let total = 0;
    const family = this.#families.get(name);
    if (!family) return 0;
    for (const { labels, value } of family.series.values()) {
      if (Object.entries(match).every(([key, wanted]) => labels[key] === wanted)) total += value;
    }
    return total;
  }

  /** Render in the Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.#families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      for (const { labels, value } of family.series.values()) {
        const rendered = Object.entries(labels)
          .map(([key, labelValue]) => `${key}="${escapeLabel(labelValue)}"`)
          .join(',');
        lines.push(rendered ? `${name}{${rendered}} ${value}` : `${name} ${value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
