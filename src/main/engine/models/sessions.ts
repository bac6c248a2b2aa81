/**
 * THE one module that creates onnxruntime `InferenceSession`s. The execution provider is chosen
 * here and nowhere else: platform candidates are tried in order by actually creating the session,
 * failures fall through to the next candidate and finally to CPU, and every session carries a
 * {@link ProviderReport} saying what ran it and why.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import * as ort from 'onnxruntime-node'

/** Execution providers Constella knows how to ask onnxruntime-node for. */
export type ProviderName = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu'

/** A provider setting: one provider (then CPU as the fallback), or `auto` (the platform's order). */
export type ProviderSetting = ProviderName | 'auto'

/** All accepted setting values, e.g. for CLI/settings validation. */
export const PROVIDER_SETTINGS: readonly ProviderSetting[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu']

/** One provider that was tried for a session and failed to initialise. */
export interface ProviderAttempt {
  provider: ProviderName
  /** The error onnxruntime (or the availability check) gave. */
  error: string
  /** True when this provider had already failed earlier in this process and was not tried again. */
  cached?: boolean
}

/** What runs a session, and why. */
export interface ProviderReport {
  /** The provider the session was created with. */
  provider: ProviderName
  /** The setting in force (option, else CONSTELLA_PROVIDER, else `auto`). */
  requested: ProviderSetting
  /** Providers tried before `provider`, in order, with their errors. */
  tried: ProviderAttempt[]
  /** One human-readable sentence. */
  reason: string
}

/** Options of {@link createSession}. */
export interface CreateSessionOptions {
  /** Overrides CONSTELLA_PROVIDER; default `auto`. */
  provider?: ProviderSetting
  /** Names the session in errors and logs (usually the model name). */
  label: string
  /** Threads inside one operator; default `os.availableParallelism()`. */
  intraOpNumThreads?: number
}

/** A created session with the report of its provider choice. */
export interface CreatedSession {
  session: ort.InferenceSession
  provider: ProviderReport
}

/** Parses a provider setting (option or env value); throws on unknown values. */
export function resolveProviderSetting(value: string | undefined = process.env.CONSTELLA_PROVIDER): ProviderSetting {
  const v = (value ?? '').trim().toLowerCase()
  if (v === '') return 'auto'
  if ((PROVIDER_SETTINGS as readonly string[]).includes(v)) return v as ProviderSetting
  throw new Error(`unknown execution provider "${value}" (CONSTELLA_PROVIDER / provider setting): use one of ${PROVIDER_SETTINGS.join(', ')}`)
}

/** The providers to try, in order, for a setting on a platform; always ends with `cpu`. */
export function providerCandidates(
  setting: ProviderSetting,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): ProviderName[] {
  if (setting !== 'auto') return setting === 'cpu' ? ['cpu'] : [setting, 'cpu']
  const list: ProviderName[] = []
  if ((platform === 'linux' || platform === 'win32') && arch === 'x64') list.push('cuda')
  if (platform === 'win32') list.push('dml')
  if (platform === 'darwin') list.push('coreml')
  list.push('webgpu', 'cpu')
  return list
}

/** Providers that failed in this process: not tried again for later sessions (an environment fact). */
const failedProviders = new Map<ProviderName, string>()

/** Forgets remembered provider failures (tests; after installing a GPU runtime). */
export function resetProviderFailures(): void {
  failedProviders.clear()
}

/** The providers compiled into (or installable for) this onnxruntime-node build. */
function availableBackends(): Set<string> {
  try {
    return new Set(ort.listSupportedBackends().map((b) => b.name))
  } catch {
    return new Set(['cpu'])
  }
}

function sessionOptions(provider: ProviderName, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    // Spin-waiting worker threads cost 1.6-1.8x throughput on a busy 2-core machine (bench/detector).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  }
}

/** Whether the CUDA provider library was installed next to onnxruntime-node's binding (npm run setup:cuda). */
function cudaInstalled(): boolean {
  try {
    const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch)
    return existsSync(path.join(bin, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'))
  } catch {
    return false
  }
}

/**
 * Creates a session from model bytes on the first provider that initialises, CPU last.
 * Throws (with the label and every provider's error) only if even CPU fails, e.g. for a bad model.
 */
export async function createSession(bytes: Uint8Array, options: CreateSessionOptions): Promise<CreatedSession> {
  const requested = resolveProviderSetting(options.provider ?? process.env.CONSTELLA_PROVIDER)
  const threads = Math.max(1, options.intraOpNumThreads ?? os.availableParallelism())
  const available = availableBackends()
  const tried: ProviderAttempt[] = []
  for (const provider of providerCandidates(requested)) {
    const remembered = failedProviders.get(provider)
    if (remembered !== undefined && provider !== 'cpu') {
      tried.push({ provider, error: remembered, cached: true })
      continue
    }
    const missing = !available.has(provider)
      ? `${provider} is not available in this onnxruntime-node build for ${process.platform}/${process.arch}`
      : provider === 'cuda' && !cudaInstalled() ? 'the CUDA execution provider is not installed (on a machine with an NVIDIA GPU and CUDA 12: npm run setup:cuda)' : undefined
    if (missing) {
      const error = missing
      failedProviders.set(provider, error)
      tried.push({ provider, error })
      continue
    }
    try {
      const session = await ort.InferenceSession.create(bytes, sessionOptions(provider, threads))
      return { session, provider: { provider, requested, tried, reason: explain(provider, requested, tried) } }
    } catch (err) {
      const error = (err as Error).message ?? String(err)
      if (provider === 'cpu') {
        const before = tried.map((t) => `${t.provider}: ${t.error}`).join('; ')
        throw new Error(`cannot create an inference session for ${options.label}: ${error}${before ? ` (also tried ${before})` : ''}`)
      }
      failedProviders.set(provider, error)
      tried.push({ provider, error })
    }
  }
  throw new Error(`cannot create an inference session for ${options.label}: no execution provider candidates`)
}

function explain(provider: ProviderName, requested: ProviderSetting, tried: ProviderAttempt[]): string {
  if (tried.length === 0) {
    return requested === 'auto' ? `${provider} is the first available provider on this platform` : `${provider} was requested`
  }
  const failures = tried.map((t) => `${t.provider} failed to initialise (${firstLine(t.error)})`).join('; ')
  const what = requested === 'auto' ? 'auto' : `${requested} was requested`
  return `${what}; ${failures}; fell back to ${provider}`
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

/** A provider failure in a few words: "not installed", "no adapter", "not in this build", else its first words. */
export function shortProviderError(error: string): string {
  if (/not installed/i.test(error)) return 'not installed'
  if (/adapter/i.test(error)) return 'no adapter'
  if (/not available in this onnxruntime-node build/i.test(error)) return 'not in this build'
  if (/\blib[\w.-]+\.so[\d.]*\b.*(cannot open|not found)|cannot open shared object/i.test(error)) return 'runtime library missing'
  const line = firstLine(error).replace(/^\/\S+:\d+\s+/, '')
  return line.length > 60 ? `${line.slice(0, 59)}…` : line
}

/**
 * One short line for a provider report, e.g. "cpu (cuda: not installed, webgpu: no adapter)";
 * the full reasons are in `report.reason` (shown with --verbose).
 */
export function providerSummary(report: ProviderReport): string {
  const notes = report.tried.map((t) => `${t.provider}: ${shortProviderError(t.error)}`)
  return notes.length > 0 ? `${report.provider} (${notes.join(', ')})` : report.provider
}
