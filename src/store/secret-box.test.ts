import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  it('seals with a node key it creates once, owner-readable only, and opens with the same key later', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-secrets-'));
    const box = await SecretBox.forDataDir(dataDir);
    const sealed = box.seal('user:p@ssw0rd');
    expect(sealed).not.toContain('p@ssw0rd');
    expect(SecretBox.isSealed(sealed)).toBe(true);
    // Every sealing differs (a fresh IV), and a second opening of the data dir reuses the key.
    expect(box.seal('user:p@ssw0rd')).not.toBe(sealed);
    const key = readFileSync(join(dataDir, 'secret.key'), 'utf8');
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    const again = await SecretBox.forDataDir(dataDir);
    expect(readFileSync(join(dataDir, 'secret.key'), 'utf8')).toBe(key);
    expect(again.open(sealed)).toBe('user:p@ssw0rd');
  });

  it('reads values an older version stored in plain text as they are', () => {
    expect(SecretBox.ephemeral().open('sk-plain')).toBe('sk-plain');
    expect(SecretBox.ephemeral().openOptional(undefined)).toBeUndefined();
  });

  it('refuses a value sealed with another key or changed after sealing', () => {
    const box = SecretBox.ephemeral();
    const sealed = box.seal('token');
    expect(() => SecretBox.ephemeral().open(sealed)).toThrow(/cannot be opened with this node key/);
    const bytes = Buffer.from(sealed.slice('vigil-sealed:v1:'.length), 'base64');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    expect(() => box.open(`vigil-sealed:v1:${bytes.toString('base64')}`)).toThrow(/cannot be opened/);
    expect(() => box.open('vigil-sealed:v1:AAAA')).toThrow(/truncated/);
  });

  it('refuses a key file that does not hold a key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-secrets-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, 'secret.key'), 'short\n');
    await expect(SecretBox.forDataDir(dataDir)).rejects.toThrow(/32-byte key/);
  });
});
