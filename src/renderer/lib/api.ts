/**
 * The renderer's only door to the engine: `window.api` when the preload provided it (Electron),
 * else the same contract over `fetch('/api/<channel>')` (browser against `npm run serve`).
 * Components and managers use {@link api} / {@link call}; tests mock this module.
 */
import {
  API_CHANNELS,
  httpApiPath,
  type ApiChannel,
  type ApiRequest,
  type ApiResponse,
  type ConstellaApi,
} from '../../shared/api-contract.js'
import { ApiError, fail, isEnvelope, type Envelope } from '../../shared/envelope.js'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readonly api?: ConstellaApi
  }
}

/** The subset of `fetch` the HTTP client needs (injectable for tests). */
export type FetchLike = (input: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{
  status: number
  json(): Promise<unknown>
}>

/** The contract over HTTP: POST JSON to `<base>/api/<channel>`, read back an envelope. */
export function createHttpApi(fetchFn: FetchLike, base = ''): ConstellaApi {
  const callChannel = async (channel: ApiChannel, request: unknown): Promise<Envelope<unknown>> => {
    let reply: unknown
    try {
      const res = await fetchFn(base + httpApiPath(channel), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request ?? {}),
      })
      reply = await res.json().catch(() => null)
      if (!isEnvelope(reply)) return fail('internal', `the server answered ${channel} with HTTP ${res.status} and no envelope`)
    } catch (err) {
      return fail('internal', `cannot reach the Constella server: ${err instanceof Error ? err.message : String(err)}`)
    }
    return reply
  }
  return Object.freeze(Object.fromEntries(API_CHANNELS.map((c) => [c, (r: unknown) => callChannel(c, r)]))) as ConstellaApi
}

/** Picks the transport: the preload's `window.api`, else HTTP on the page's own origin. */
export function createApiClient(): ConstellaApi {
  const preloaded = typeof window === 'undefined' ? undefined : window.api
  return preloaded ?? createHttpApi((input, init) => fetch(input, init))
}

/** The API client of this page. */
export const api: ConstellaApi = createApiClient()

/** Calls a channel and unwraps the envelope; a failed envelope throws {@link ApiError}. */
export async function call<C extends ApiChannel>(
  channel: C,
  request: ApiRequest<C>,
  client: ConstellaApi = api,
): Promise<ApiResponse<C>> {
  const reply = await client[channel](request)
  if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message)
  return reply.value
}
