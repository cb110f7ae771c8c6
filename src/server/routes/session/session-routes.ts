// Console sign-in: POST creates a session (cookie), GET tells who is signed in, DELETE signs out.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import type { ConsoleSessions } from './console-sessions.ts';

const SessionUser = Type.Object({
  username: Type.String(),
  role: Type.String(),
  units: Type.Union([Type.Literal('all'), Type.Array(Type.String())]),
});

export function sessionRoutes(sessions: ConsoleSessions) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post<{ Body: { username: string; password: string } }>(
      '/api/v1/session',
      {
        schema: {
          tags: ['session'],
          summary: 'Sign in to the console (sets an HttpOnly session cookie)',
          body: Type.Object({
            username: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
          }),
          response: { 200: Type.Object({ user: SessionUser }), ...errorResponses(400, 401) },
        },
      },
      async (request, reply) => {
        const user = await sessions.signIn(request, reply, request.body.username, request.body.password);
        if (!user) throw new VigilHttpError('VIGIL_ERR_AUTH_INVALID', 'Wrong username or password');
        return {
          user: {
            username: user.username,
            role: user.role,
            units: user.units === '*' ? ('all' as const) : [...user.units],
          },
        };
      },
    );
    app.get(
      '/api/v1/session',
      {
        schema: {
          tags: ['session'],
          summary: 'The signed-in console user',
          response: { 200: Type.Object({ user: SessionUser }), ...errorResponses(401) },
        },
      },
      async (request) => {
        const user = await sessions.user(request);
        if (!user) throw new VigilHttpError('VIGIL_ERR_AUTH_REQUIRED', 'Not signed in');
        return {
          user: {
            username: user.username,
            role: user.role,
            units: user.units === '*' ? ('all' as const) : [...user.units],
          },
        };
      },
    );
    app.delete(
      '/api/v1/session',
      { schema: { tags: ['session'], summary: 'Sign out', response: { 204: Type.Null() } } },
      async (request, reply) => {
        await sessions.signOut(request, reply);
        return reply.code(204).send();
      },
    );
  };
}
