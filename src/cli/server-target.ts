import type { ApiClient } from '../client/api-client.js';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { CliContext } from './context.js';

/** The options of a command that act on the local store and repository, which a server has its own of. */
export interface LocalOnlyOptions {
  readonly db?: string | undefined;
  readonly as?: string | undefined;
}

/**
 * The server a command goes through (`--server URL` or SHIPGATE_SERVER, with SHIPGATE_TOKEN), or
 * undefined for the local store. Through a server, the server's store, its clone and main's policy
 * decide and the token says who acts: --db, --policy and --as would silently mean nothing, so they
 * are refused.
 */
export async function serverClient(context: CliContext, options: LocalOnlyOptions): Promise<ApiClient | undefined> {
  const { env } = context.io;
  const globals = context.globals();
  const fromFlag = globals.server !== undefined;
  const server = globals.server ?? (env.SHIPGATE_SERVER || undefined);
  if (server === undefined) return undefined;
  const via = fromFlag ? '--server' : 'SHIPGATE_SERVER';
  const local = [options.db !== undefined && '--db', globals.policyFile !== undefined && '--policy', options.as !== undefined && '--as'].filter((flag): flag is string => flag !== false);
  if (local.length > 0) {
    const drop = fromFlag ? 'drop --server' : 'unset SHIPGATE_SERVER';
    throw errors.badOption(
      `${local.join(' and ')} ${local.length === 1 ? 'is' : 'are'} for a local store and cannot be used with ${via} ${server}: the server decides with its own store and main's policy, and the token says who you are`,
      `drop ${local.join(' and ')} to go through the server, or ${drop} to use a local store`,
    );
  }
  const token = env.SHIPGATE_TOKEN?.trim() ?? '';
  if (token === '') {
    throw new ShipgateError('EAUTH', `SHIPGATE_TOKEN is not set: the shipgate server at ${server} (${via}) needs a token`, {
      category: 'unauthorized',
      hint: 'create one on the server with `shipgate token create --user <your email>` and export it as SHIPGATE_TOKEN',
    });
  }
  const { apiClient, DEFAULT_TIMEOUT_MS } = await import('../client/api-client.js');
  return apiClient({ server, token, timeoutMs: timeoutFrom(env.SHIPGATE_SERVER_TIMEOUT, DEFAULT_TIMEOUT_MS) });
}

function timeoutFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw errors.badOption(`SHIPGATE_SERVER_TIMEOUT must be a number of seconds from 0 to 3600, not "${value}"`);
  return Math.round(seconds * 1000);
}
