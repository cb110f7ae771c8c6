// Prints the format-conformance table and, per data stream, the fields we miss or get wrong.
// Usage: npx node test/conformance/report.ts [package/data_stream] [--write] [--top N] [--json]
// --write regenerates docs/conformance.md (rules + table) from the current parsers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonValue } from '../../src/model/event.ts';
import { createDefaultParserRegistry } from '../../src/parse/default-parsers.ts';
import { repoRoot, sharedData } from '../shared-data.ts';
import { type DataStreamScore, scoreAll, topEntries, uncoveredDataStreams } from './score.ts';

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function status(score: DataStreamScore): string {
  if (score.loadError) return `LOAD ERROR: ${score.loadError.replace(/\|/g, '/')}`;
  if (!score.format) return 'not covered';
  if (!score.parserRegistered) return score.optional ? 'optional, no parser' : `MISSING parser '${score.format}'`;
  return score.score >= 0.9 ? 'ok' : 'below 90%';
}

function shortValues(values: readonly JsonValue[]): string {
  const text = JSON.stringify(values.length === 1 ? values[0] : values);
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

export function renderTable(scores: readonly DataStreamScore[]): string {
  const lines = [
    '| data stream | our format | records | failures | misdetected | expected leaves | matched | missing | wrong | score | status |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const score of scores) {
    let misdetected = 0;
    for (const count of score.misdetections.values()) misdetected += count;
    lines.push(
      `| ${score.dataStream} | ${score.format ?? '—'} | ${score.records} | ${score.failures} | ${score.format ? misdetected : '—'} | ${score.expectedLeaves} | ${score.matched} | ${score.missing} | ${score.wrong} | ${percent(score.score)} | ${status(score)} |`,
    );
  }
  const covered = scores.filter((score) => score.format && score.parserRegistered);
  if (covered.length > 1) {
    let expected = 0;
    let matched = 0;
    for (const score of covered) {
      expected += score.expectedLeaves;
      matched += score.matched;
    }
    lines.push(
      `| all covered with a parser (${covered.length}) | | | | | ${expected} | ${matched} | | | ${percent(expected === 0 ? 1 : matched / expected)} | |`,
    );
  }
  return lines.join('\n');
}

/** The scores as plain JSON (for tools and CI summaries). */
export function scoresAsJson(scores: readonly DataStreamScore[]): object[] {
  return scores.map((score) => ({
    dataStream: score.dataStream,
    format: score.format ?? null,
    parserRegistered: score.parserRegistered,
    records: score.records,
    failures: score.failures,
    misdetections: Object.fromEntries(score.misdetections),
    ambiguousDetections: Object.fromEntries(score.ambiguousDetections),
    foreignRecords: score.foreignRecords,
    skippedSamples: score.skippedSamples,
    expectedLeaves: score.expectedLeaves,
    matched: score.matched,
    missing: score.missing,
    wrong: score.wrong,
    score: score.score,
    missingFields: Object.fromEntries(score.missingFields),
    wrongFields: Object.fromEntries([...score.wrongFields].map(([path, entry]) => [path, entry.count])),
  }));
}

export function renderDetails(scores: readonly DataStreamScore[], top: number): string {
  const parts: string[] = [];
  for (const score of scores) {
    if (!score.format || (score.matched === score.expectedLeaves && score.skippedSamples.length === 0)) continue;
    const lines = [`### ${score.dataStream} (${score.format}): ${percent(score.score)}`, ''];
    if (score.failures > 0) {
      lines.push('Parse failures:', '');
      for (const [reason, count] of topEntries(score.failureReasons, (value) => value, 5)) {
        lines.push(`- ${count} × \`${reason.replace(/`/g, "'")}\``);
      }
      lines.push('');
    }
    if (score.skippedSamples.length > 0)
      lines.push(`Skipped (upstream skips them): ${score.skippedSamples.join('; ')}`, '');
    if (score.ambiguousDetections.size > 0) {
      lines.push(
        `Ambiguous (same text as another format): ${[...score.ambiguousDetections].map(([format, count]) => `${count} → ${format}`).join(', ')}`,
        '',
      );
    }
    if (score.foreignRecords > 0) {
      lines.push(
        `Not of this format (our parser rejects them even when named, so auto-detection is not held to them): ${score.foreignRecords} (e.g. ${score.foreignExamples.join('; ')})`,
        '',
      );
    }
    if (score.misdetections.size > 0) {
      lines.push(
        `Auto-detection: ${[...score.misdetections].map(([format, count]) => `${count} → ${format}`).join(', ')} (e.g. ${score.misdetectionExamples.slice(0, 2).join('; ')})`,
        '',
      );
    }
    const missing = topEntries(score.missingFields, (value) => value, top);
    if (missing.length > 0) {
      lines.push('Missing (field: records):', '');
      lines.push(missing.map(([path, count]) => `\`${path}\`: ${count}`).join(', '), '');
    }
    const wrong = topEntries(score.wrongFields, (value) => value.count, top);
    if (wrong.length > 0) {
      lines.push('Wrong (field: records; first example expected → ours):', '');
      for (const [path, entry] of wrong) {
        lines.push(
          `- \`${path}\`: ${entry.count}; ${shortValues(entry.example.expected)} → ${shortValues(entry.example.actual)} (${entry.example.where})`,
        );
      }
      lines.push('');
    }
    parts.push(lines.join('\n'));
  }
  return parts.join('\n');
}

const rules = `## How the score is computed

The harness (\`test/conformance/score.ts\`) reads every pair under \`../shared/data/formats/<package>/<data_stream>/\`
(raw \`<input>\` and Elastic's \`<input>-expected.json\`), feeds each input event to
\`createDefaultParserRegistry().parse(record, 'auto')\` and compares our event with the expected document.

- **Records.** A \`.log\` input is one event per line (empty lines skipped), unless a \`test-common-config.yml\` or
  \`<input>-config.yml\` sets \`multiline.first_line_pattern\`: then a line that does not match the pattern is joined
  (with \`\\n\`) to the event before it. A \`.json\` input is \`{"events":[...]}\`: each document becomes a record with
  \`json\` set and \`text\` = its JSON. All records get \`unit: "default"\` and a \`file\` source. A JSON event that only wraps a raw line (a string
  \`message\` and nothing but shipper keys: \`@timestamp\`, \`ecs\`, \`agent\`, \`host\`, \`input\`, \`log\`, \`tags\`,
  \`event\`, \`fields\`, \`data_stream\`, \`cloud\`, \`labels\`, …) is fed as that line, as a shipper would deliver it —
  unless the shipper already parsed its syslog header into \`log.syslog\` (the message is then only the body, and the
  document is what a parser receives). A blank line of a \`.log\` input counts as an event only when Elastic's expected
  file has a document for it (inputs and expected documents line up only that way); it is not checked for detection.
  A config with \`skip:\` (upstream skips that test) leaves the sample unscored, and the report lists it.
- **Config \`fields:\`** are injected as Elastic's test runner does: into each JSON document; for text records,
  \`event.timezone\` (or Elastic's \`_conf.tz_offset\` variable, or a JSON event's own \`event.timezone\`) becomes
  \`RawRecord.timezone\` (normalised: \`GMT+2\` → \`+02:00\`, read as UTC+2 like Elastic's
  Java date processor; \`GMT-0200\` → \`-02:00\`; \`+0000\` → \`+00:00\`) and \`@timestamp\` becomes \`receivedAt\`
  (otherwise \`receivedAt\` is fixed at 2020-04-28T11:07:58.223Z). An expected leaf equal to an injected value is
  an echo of the input and is not scored; injected tags, and always \`preserve_original_event\` (Elastic's test switch, also where a sample's config was
  not copied), are removed from \`tags\` on both sides.
- **Score** of a data stream = matched expected leaves / expected leaves, over all its records. Extra fields we
  emit are not penalised. A parse failure makes all leaves of that record missing. Documents expected as \`null\`
  (dropped upstream) are not scored. When a parser returns several events, the first is compared.
- **Leaves.** A document is flattened to dotted paths; arrays (and objects inside arrays) collect their values
  under one path, so \`related.ip\` or \`event.type\` is one leaf, compared as a multiset (order-insensitive). A
  scalar equals a one-element array.
- **Scored fields** are standard ECS only. The first path segment must be an ECS field set or base field:
  ${'`@timestamp, message, tags, labels, agent, client, cloud, container, data_stream, destination, device, dll, dns, ecs, email, error, event, faas, file, group, host, http, log, network, observer, orchestrator, organization, package, process, registry, related, rule, server, service, source, span, threat, tls, trace, transaction, url, user, user_agent, vulnerability`'}.
  Everything else is a vendor namespace and not scored: \`cisco.*\`, \`panw.*\`, \`fortinet.*\`, \`suricata.*\`,
  \`zeek.*\`, \`iptables.*\`, \`system.*\`, \`apache.*\`, \`nginx.*\`, \`aws.*\`, \`anomali.*\`, \`actor.*\`, \`target.*\`,
  \`tracing.*\`, \`_tmp.*\` — and \`winlog.*\`, which is Beats' namespace, not an ECS field set (its ECS-mapped
  values appear in \`event.*\`, \`user.*\`, \`process.*\` and are scored there).
- **Not scored, though ECS:** agent and ingest metadata — \`ecs.*\`, \`agent.*\`, \`data_stream.*\`,
  \`event.ingested\`, \`event.created\` (pipeline or agent time), \`event.agent_id_status\`, \`event.dataset\` and
  \`event.module\` (they name Elastic's packages; Vigil names its own), \`log.offset\`, \`log.file.*\`; any \`geo\` or
  \`as\` object (\`source.geo.*\`, \`destination.as.*\`, \`threat.indicator.geo.*\`: Elastic's test GeoIP databases);
  and every \`dynamic_fields\` path of the sample config.
- **\`event.original\`** is scored where expected (the samples set \`preserve_original_event\`): parsers keep the raw
  record text there.
- **Values.** Timestamps (ISO 8601 date-times) compare as instants at millisecond precision, a missing offset read
  as UTC. Numbers compare numerically. \`"80"\` equals \`80\` only for ECS numeric fields (\`*.port\`, \`*.pid\`,
  \`*.bytes\`, \`*.packets\`, \`*.status_code\`, \`event.severity\`, \`event.duration\`, \`log.syslog.*.code\`,
  \`log.syslog.priority\`, \`process.thread.id\`, …); elsewhere the JSON type must match, so a number where ECS has a
  keyword (\`event.code\`, \`network.iana_number\`, \`rule.id\`) is wrong, except for fields a config lists in
  \`numeric_keyword_fields\` or \`string_number_fields\`. Strings compare exactly.
- **Coverage.** A data stream is covered when one of our formats claims it (the map in \`score.ts\`); the test
  (\`test/conformance/conformance.test.ts\`) requires ≥ 90% for each covered data stream, fails (does not skip)
  when its parser is not registered, and requires auto-detection to pick the claiming format for every record
  (checked per record, without per-source stickiness) that the format's parser accepts when named. A record it
  rejects even then is text of another kind in the sample (Cisco IOS lines in an ASA file): it is reported as
  "not of this format", still scored, and not held to detection. Formats whose lines can be identical (Apache
  and nginx \`combined\` access logs) are interchangeable for this check: such a detection is reported as ambiguous.
- **Case.** \`http.request.method\` compares case-insensitively: ECS 1.x pipelines lowercased it (\`get\`),
  current ECS keeps the original case (\`GET\`).
- **Known limits of the samples.** \`iptables/log\` has no year in its lines and expects 2024 (the year of the
  upstream test run), which no parser can reproduce from the line. Yearless syslog lines elsewhere are marked
  dynamic by their configs. The configs of the elastic/integrations pairs (suricata, zeek, iptables, panw,
  fortinet, cloudtrail, sysmon) were not copied: \`panw/panos\` expects \`+09:30\` times and \`event.timezone\`
  from its upstream config, which the harness cannot pass, so those two leaves stay wrong.
`;

function renderDocument(scores: readonly DataStreamScore[], top: number): string {
  const uncovered = Object.entries(uncoveredDataStreams)
    .map(([dataStream, why]) => `- \`${dataStream}\`: ${why}.`)
    .join('\n');
  return `# Format conformance

How closely Vigil's parsers reproduce the ECS documents that Elastic's ingest pipelines produce from the same raw
logs. Regenerate with \`npx node test/conformance/report.ts --write\`; check with
\`npx vitest run test/conformance\`. The same scoring over more of Elastic's public pipeline tests
(60 data streams, 97.7 %) is in [conformance-upstream.md](conformance-upstream.md).

## Results

${renderTable(scores)}

Not covered:

${uncovered}

${rules}
## Fields to work on

${renderDetails(scores, top) || 'Nothing missing or wrong.'}
`;
}

function main(argv: readonly string[]): void {
  const write = argv.includes('--write');
  const topIndex = argv.indexOf('--top');
  const top = topIndex >= 0 ? Number(argv[topIndex + 1]) || 15 : 15;
  const filter = argv.find((arg, index) => !arg.startsWith('--') && argv[index - 1] !== '--top');
  const scores = scoreAll(sharedData('formats'), createDefaultParserRegistry, filter);
  if (scores.length === 0) {
    console.error(`no data stream matches '${filter}'`);
    process.exitCode = 1;
    return;
  }
  if (argv.includes('--json')) {
    console.log(JSON.stringify(scoresAsJson(scores), null, 1));
    return;
  }
  console.log(renderTable(scores));
  console.log('');
  console.log(renderDetails(scores, top));
  if (write) {
    const path = join(repoRoot, 'docs', 'conformance.md');
    writeFileSync(path, renderDocument(scores, top));
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
