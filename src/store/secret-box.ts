// Credentials Vigil must keep to act on a user's behalf (a TAXII server's password or token, the
// LLM endpoint's API key) are sealed before they go into the SOC store: AES-256-GCM with a node
// key kept apart from the database, in DATA/secret.key (created on first use, readable by the
// owner only). A copy of the database — a backup, a file sent for support — then holds no usable
// secret. Values stored by earlier versions in plain text are read as they are and sealed when
// next saved.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const prefix = 'vigil-sealed:v1:';
const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;

export class SecretBox {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /** A box with a key of its own (tests, or a node without a data directory). */
  static ephemeral(): SecretBox {
    return new SecretBox(randomBytes(keyBytes));
  }

  /** The node's box: DATA/secret.key, created (mode 0600) when missing. */
  static async forDataDir(dataDir: string): Promise<SecretBox> {
    const path = join(dataDir, 'secret.key');
    try {
      const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
      if (key.length !== keyBytes) throw new Error(`${path} does not hold a ${keyBytes}-byte key (base64)`);
      return new SecretBox(key);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const key = randomBytes(keyBytes);
    await mkdir(dataDir, { recursive: true });
    // `wx`: never overwrite a key another process created meanwhile; read that one instead.
    try {
      await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return SecretBox.forDataDir(dataDir);
      throw error;
    }
    await chmod(path, 0o600);
    return new SecretBox(key);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(prefix);
  }

  seal(plain: string): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return prefix + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  }

  /** The plain value; a value that is not sealed (stored by an older version) as it is. */
  open(value: string): string {
    if (!SecretBox.isSealed(value)) return value;
    const bytes = Buffer.from(value.slice(prefix.length), 'base64');
    if (bytes.length < ivBytes + tagBytes) throw new Error('a sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, ivBytes));
    decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('a sealed secret cannot be opened with this node key (DATA/secret.key changed?)');
    }
  }

  /** `seal` for an optional value. */
  sealOptional(plain: string | undefined): string | undefined {
    return plain === undefined ? undefined : this.seal(plain);
  }

  /** `open` for an optional value. */
  openOptional(value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.open(value);
  }
}
