import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, environmentName, loadConfig, parseBytes } from './config.ts';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'vigil-config-'));
}

describe('loadConfig', () => {
  it('uses defaults: ./.vigil, 127.0.0.1:8080, 10 MiB bodies', () => {
    const cwd = tempDir();
    const config = loadConfig({ env: {}, cwd });
    expect(config.dataDir).toBe(path.join(cwd, '.vigil'));
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, bodyLimit: 10 * 1024 * 1024 });
    expect(config.retention.days).toBe(30);
    expect(config.configFile).toBeUndefined();
  });

  it('layers vigil.yaml in the data dir < environment < flags', () => {
    const cwd = tempDir();
    const dataDir = path.join(cwd, 'data');
    mkdirSync(dataDir);
    writeFileSync(
      path.join(dataDir, 'vigil.yaml'),
      'http:\n  port: 9000\n  host: 0.0.0.0\n  bodyLimit: 2MB\nretention:\n  days: 7\nsyslog:\n  udpPort: 1514\n',
    );
    const config = loadConfig({
      cwd,
      env: { VIGIL_DATA_DIR: 'data', VIGIL_HTTP_PORT: '9100', VIGIL_RETENTION_DAYS: '14' },
      flags: { 'http.port': { value: '9200', flag: '--port' } },
    });
    expect(config.configFile).toBe(path.join(dataDir, 'vigil.yaml'));
    expect(config.http).toEqual({ host: '0.0.0.0', port: 9200, bodyLimit: 2 * 1024 * 1024 });
    expect(config.retention.days).toBe(14);
    expect(config.syslog.udpPort).toBe(1514);
  });

  it('names the file and line of a bad or unknown key', () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'custom.yaml');
    writeFileSync(file, '# comment\nhttp:\n  port: eighty\n');
    expect(() => loadConfig({ cwd, env: {}, configFile: file })).toThrow(
      new ConfigError(`${file}:3: http.port must be an integer from 0 to 65535 (got "eighty")`),
    );
    writeFileSync(file, 'http:\n  port: 80\n  prot: 81\n');
    expect(() => loadConfig({ cwd, env: {}, configFile: file })).toThrow(
      `${file}:3: unknown configuration key 'http.prot'`,
    );
    writeFileSync(file, 'http: [1,\n');
    expect(() => loadConfig({ cwd, env: {}, configFile: file })).toThrow(/custom\.yaml:\d+: invalid YAML/);
  });

  it('resolves a dataDir written in a --config file relative to that file', () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'etc'));
    const file = path.join(cwd, 'etc', 'vigil.yaml');
    writeFileSync(file, 'dataDir: ../var/vigil\nsyslog:\n  enabled: no\n');
    const config = loadConfig({ cwd, env: {}, configFile: 'etc/vigil.yaml' });
    expect(config.dataDir).toBe(path.join(cwd, 'var', 'vigil'));
    expect(config.syslog.enabled).toBe(false);
    const flagged = loadConfig({
      cwd,
      env: {},
      configFile: file,
      flags: { dataDir: { value: 'here', flag: '--data' } },
    });
    expect(flagged.dataDir).toBe(path.join(cwd, 'here'));
  });

  it('names the variable or flag of a bad value', () => {
    expect(() => loadConfig({ env: { VIGIL_HTTP_BODY_LIMIT: 'lots' } })).toThrow(
      'environment variable VIGIL_HTTP_BODY_LIMIT: http.bodyLimit must be a size',
    );
    expect(() => loadConfig({ env: {}, flags: { 'http.port': { value: '70000', flag: '--port' } } })).toThrow(
      'command-line flag --port: http.port must be an integer from 0 to 65535',
    );
  });

  it('has analyst defaults for re-investigating grown incidents, set from vigil.yaml and the environment', () => {
    const cwd = tempDir();
    expect(loadConfig({ env: {}, cwd }).analyst).toEqual({
      autoPriority: 70,
      concurrency: 1,
      maxAutoPerHour: 30,
      reinvestigatePriorityRise: 10,
      reinvestigateOnNewTactic: true,
      reinvestigateAlertFactor: 2,
      reinvestigateMinNewAlerts: 5,
    });
    const file = path.join(cwd, 'vigil.yaml');
    writeFileSync(file, 'analyst:\n  reinvestigatePriorityRise: 0\n  reinvestigateOnNewTactic: no\n');
    const config = loadConfig({
      cwd,
      configFile: file,
      env: { VIGIL_ANALYST_REINVESTIGATE_ALERT_FACTOR: '3', VIGIL_ANALYST_REINVESTIGATE_MIN_NEW_ALERTS: '20' },
    });
    expect(config.analyst).toMatchObject({
      reinvestigatePriorityRise: 0,
      reinvestigateOnNewTactic: false,
      reinvestigateAlertFactor: 3,
      reinvestigateMinNewAlerts: 20,
    });
    expect(() => loadConfig({ cwd, env: { VIGIL_ANALYST_REINVESTIGATE_PRIORITY_RISE: '101' } })).toThrow(
      'environment variable VIGIL_ANALYST_REINVESTIGATE_PRIORITY_RISE: analyst.reinvestigatePriorityRise must be an integer from 0 to 100',
    );
  });

  it('derives environment names and parses sizes', () => {
    expect(environmentName('pipeline.batchMaxWaitMs')).toBe('VIGIL_PIPELINE_BATCH_MAX_WAIT_MS');
    expect(parseBytes('10MB')).toBe(10 * 1024 * 1024);
    expect(parseBytes('512 KiB')).toBe(512 * 1024);
    expect(parseBytes(4096)).toBe(4096);
    expect(parseBytes('ten')).toBeUndefined();
  });
});
