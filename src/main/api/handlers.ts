/**
 * Thin API handlers over the services object, and the one dispatcher every transport uses.
 * The dispatcher parses every request with the contract's zod schema and always resolves to an
 * envelope: transports never see a thrown error.
 */
import { z } from 'zod'
import {
  apiContract,
  isApiChannel,
  type ApiChannel,
  type ApiResponse,
  type ParsedRequest,
} from '../../shared/api-contract.js'
import { ApiError, fail, ok, type Envelope } from '../../shared/envelope.js'
import type { ApiServices } from './services.js'

/** One handler per channel: parsed request + services -> response value (may throw {@link ApiError}). */
export type ApiHandlers = {
  [C in ApiChannel]: (request: ParsedRequest<C>, services: ApiServices) => Promise<ApiResponse<C>> | ApiResponse<C>
}

/** The handlers of the contract. Keep them thin: the work belongs to services. */
export const handlers: ApiHandlers = {
  'app.info': async (_request, services) => {
    const provider = await services.inference?.provider()
    return {
      version: services.app.version,
      platform: services.app.platform,
      packDir: services.models.packDir,
      ...(provider === undefined ? {} : { provider }),
    }
  },
  'models.list': (_request, services) =>
    services.models.check().map(({ entry, status }) => ({
      name: entry.name,
      role: entry.role,
      source: entry.source,
      file: entry.file,
      sha256: entry.sha256,
      bytes: entry.bytes,
      status,
    })),
}

/** The API as transports see it: an untyped dispatch for wire input, a typed call for Node callers. */
export interface Api {
  /** Dispatches wire input (channel name and request both untrusted). */
  dispatch(channel: string, request: unknown): Promise<Envelope<unknown>>
  /** Dispatches to a known channel; the response is typed by the channel, the request is still parsed. */
  call<C extends ApiChannel>(channel: C, request: unknown): Promise<Envelope<ApiResponse<C>>>
}

/** Options of {@link createApi}. */
export interface CreateApiOptions {
  /** Called with every unexpected error (the caller still gets an `internal` envelope). */
  onInternalError?: (channel: ApiChannel, error: unknown) => void
}

/** Builds the dispatcher over the services the composition root created. */
export function createApi(services: ApiServices, options: CreateApiOptions = {}): Api {
  async function call<C extends ApiChannel>(channel: C, request: unknown): Promise<Envelope<ApiResponse<C>>> {
    const parsed = apiContract[channel].safeParse(request)
    if (!parsed.success) {
      return fail('bad-request', `invalid request for ${channel}: ${z.prettifyError(parsed.error)}`)
    }
    try {
      const handler = handlers[channel] as (r: unknown, s: ApiServices) => Promise<ApiResponse<C>> | ApiResponse<C>
      return ok(await handler(parsed.data, services))
    } catch (err) {
      if (err instanceof ApiError) return fail(err.code, err.message)
      options.onInternalError?.(channel, err)
      return fail('internal', err instanceof Error ? err.message : String(err))
    }
  }
  return {
    call,
    dispatch: (channel, request) =>
      isApiChannel(channel) ? call(channel, request) : Promise.resolve(fail('unknown-channel', `no API channel "${channel}"`)),
  }
}
