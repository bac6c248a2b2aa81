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
import { annotationHandlers } from './annotation-handlers.js'
import { sceneHandlers } from './scene-handlers.js'

/** One handler per channel: parsed request + services -> response value (may throw {@link ApiError}). */
export type ApiHandlers = {
  [C in ApiChannel]: (request: ParsedRequest<C>, services: ApiServices) => Promise<ApiResponse<C>> | ApiResponse<C>
}

/** The handlers of the contract, one per channel. Keep them thin: the work belongs to services. */
export const handlers: ApiHandlers = {
  'app.info': (_request, s) => s.app.info(),
  'models.list': (_request, s) =>
    s.models.check().map(({ entry, status }) => ({
      name: entry.name,
      role: entry.role,
      source: entry.source,
      file: entry.file,
      sha256: entry.sha256,
      bytes: entry.bytes,
      status,
    })),
  'library.status': (_request, s) => s.library.status(),
  'folders.add': (request, s) => s.folders.add(request.path),
  'folders.remove': (request, s) => s.folders.remove(request.path),
  'folders.rescan': (request, s) => s.folders.rescan(request.path),
  'folders.pick': async (_request, s) => ({ path: await s.folders.pick() }),
  'fs.browse': (request, s) => s.fs.browse(request.path),
  'photos.list': (request, s) => s.photos.list(request),
  'photos.count': (request, s) => ({ total: s.photos.count(request.filter) }),
  'photos.get': (request, s) => s.photos.get(request.id),
  'photos.graph': (request, s) => s.photos.graph(request.id),
  'photos.neighbours': (request, s) => s.photos.neighbours(request),
  'uploads.add': (request, s) => s.search.upload(request.name, request.data),
  'search.run': (request, s) => s.search.run(request),
  'jobs.list': (_request, s) => s.jobs.list(),
  'jobs.cancel': (request, s) => s.jobs.cancel(request.id),
  'jobs.problems': (request, s) => s.jobs.problems(request.id, request.limit),
  'settings.get': (_request, s) => s.settings.get(),
  'settings.set': (request, s) => s.settings.set(request),
  ...annotationHandlers,
  ...sceneHandlers,
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
