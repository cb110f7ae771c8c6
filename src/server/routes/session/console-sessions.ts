// Console users and their sessions: argon2id password hashes, random session tokens kept only
// as SHA-256 hashes, an HttpOnly SameSite=Strict cookie (Secure over TLS), and cross-site
// protection for cookie-authenticated writes. The first administrator is created on first start.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey } from '../../../model/unit.ts';
import type { Logger } from '../../../pipeline/logger.ts';
import type { ConsoleUser, SocStore } from '../../../store/soc-store.ts';
import { allUnits } from '../../auth.ts';
import { VigilHttpError } from '../../errors.ts';

export const sessionCookie = 'vigil_session';
export const sessionHours = 12;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

/** A console user seen as an API caller: its unit and a role the API's checks understand. */
export function callerOf(user: ConsoleUser): ApiKey {
  return {
    id: `user:${user.username}`,
    name: user.username,
    unit: user.units === '*' ? allUnits : (user.units[0] ?? 'default'),
    role: user.role === 'admin' ? 'admin' : 'read',
    createdAt: user.createdAt,
  };
}

export class ConsoleSessions {
  readonly #soc: SocStore;
  constructor(soc: SocStore) {
    this.#soc = soc;
  }

  /** Create the first administrator when there is no user yet; returns the generated password, if any. */
  async ensureFirstAdmin(password: string | undefined, log: Logger): Promise<string | undefined> {
    if ((await this.#soc.countUsers()) > 0) return undefined;
    const chosen = password ?? randomBytes(12).toString('base64url');
    await this.#soc.putUser({
      username: 'admin',
      passwordHash: await hash(chosen),
      role: 'admin',
      units: '*',
      createdAt: Date.now(),
    });
    log.info('created the first administrator', {
      username: 'admin',
      passwordFrom: password ? 'VIGIL_ADMIN_PASSWORD' : 'generated',
    });
    return password ? undefined : chosen;
  }

  async createUser(
    username: string,
    password: string,
    role: ConsoleUser['role'],
    units: ConsoleUser['units'],
  ): Promise<void> {
    await this.#soc.putUser({ username, passwordHash: await hash(password), role, units, createdAt: Date.now() });
  }

  /** Verify credentials; on success set the session cookie and return the user. */
  async signIn(
    request: FastifyRequest,
    reply: FastifyReply,
    username: string,
    password: string,
  ): Promise<ConsoleUser | undefined> {
    const user = await this.#soc.getUser(username);
    // Verify against a dummy hash for unknown users too, so timing does not reveal which exist.
    let valid = false;
    if (user) valid = await verify(user.passwordHash, password).catch(() => false);
    else await hash(password);
    if (!user || !valid) return undefined;
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.#soc.putSession({
      tokenHash: tokenHash(token),
      username,
      createdAt: now,
      expiresAt: now + sessionHours * 3_600_000,
    });
    const secure = request.protocol === 'https' ? '; Secure' : '';
    void reply.header(
      'set-cookie',
      `${sessionCookie}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${sessionHours * 3600}${secure}`,
    );
    await this.#soc.appendAudit({ at: now, actor: username, action: 'session-created', target: username });
    return user;
  }

  async signOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = readCookie(request, sessionCookie);
    if (token) await this.#soc.deleteSession(tokenHash(token));
    void reply.header('set-cookie', `${sessionCookie}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
  }

  /** The signed-in user of a request, or undefined. */
  async user(request: FastifyRequest): Promise<ConsoleUser | undefined> {
    const token = readCookie(request, sessionCookie);
    if (!token) return undefined;
    const session = await this.#soc.getSession(tokenHash(token));
    if (!session || session.expiresAt < Date.now()) return undefined;
    return this.#soc.getUser(session.username);
  }

  /**
   * The app's session authenticator: a cookie stands in for an API key. Writes must come from
   * the console's own origin (the cookie is SameSite=Strict; the Origin check is a second lock).
   */
  authenticator(): (request: FastifyRequest) => Promise<ApiKey | undefined> {
    return async (request) => {
      const user = await this.user(request);
      if (!user) return undefined;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const origin = request.headers.origin;
        if (origin && new URL(origin).host !== request.headers.host) {
          throw new VigilHttpError('VIGIL_ERR_FORBIDDEN', 'Cross-site request refused');
        }
      }
      return callerOf(user);
    };
  }
}
