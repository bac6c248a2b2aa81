/**
 * Build of the three Electron targets plus the plain-Node server:
 * - main: out/main/index.js (Electron), out/main/serve.js (`npm run serve`, no Electron), and the
 *   supervised inference process when its source exists;
 * - preload: out/preload/index.cjs (CommonJS: sandboxed preloads cannot be ES modules);
 * - renderer: out/renderer (Svelte 5), also served by the HTTP server.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'
import type { Plugin, ProxyOptions } from 'vite'

const root = import.meta.dirname

/** Native packages: never bundled, loaded from node_modules at run time. */
const NATIVE_DEPS = ['onnxruntime-node', 'better-sqlite3', 'sharp', 'usearch']

const INFERENCE_PROCESS = resolve(root, 'src/main/engine/worker/inference-process.ts')
/** The worker thread of scenes and the map (engine/scenes/worker-task.ts loads `scene-worker.js` beside its chunk). */
const SCENE_WORKER = resolve(root, 'src/main/engine/scenes/scene-worker.ts')
/** The training process (`startTraining` forks `./train-worker.js` next to its chunk). */
const TRAIN_WORKER = resolve(root, 'src/main/engine/training/train-worker.ts')

/** Main-process entries. The inference process is added once its source exists (engine work in progress). */
const mainEntries: Record<string, string> = {
  index: resolve(root, 'src/main/index.ts'),
  serve: resolve(root, 'src/main/serve.ts'),
  ...(existsSync(INFERENCE_PROCESS) ? { 'inference-process': INFERENCE_PROCESS } : {}),
  ...(existsSync(SCENE_WORKER) ? { 'scene-worker': SCENE_WORKER } : {}),
  ...(existsSync(TRAIN_WORKER) ? { 'train-worker': TRAIN_WORKER } : {}),
}

/**
 * The dev server injects component styles as <style> tags and talks HMR over a websocket: relax
 * index.html's CSP for `electron-vite dev` only. Built output keeps the strict policy.
 */
function devCsp(): Plugin {
  return {
    name: 'constella:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*"),
  }
}

/**
 * Browser development against a running `npm run serve`: the dev server forwards /api, /media and
 * the /events WebSocket to it (CONSTELLA_API_URL, default http://127.0.0.1:5190). The server only
 * answers loopback Hosts of its own port and same-origin calls that carry its session token, so
 * the proxy rewrites Host, drops Origin and sends the token of CONSTELLA_TOKEN (the `token=` part
 * of the URL `npm run serve` printed) as a Bearer header.
 */
function serverProxy(): Record<string, ProxyOptions> {
  const target = process.env.CONSTELLA_API_URL ?? 'http://127.0.0.1:5190'
  const token = process.env.CONSTELLA_TOKEN
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
  const forward = (ws = false): ProxyOptions => ({
    target,
    ws,
    changeOrigin: true,
    headers,
    configure: (proxy) => {
      proxy.on('proxyReq', (proxyReq) => proxyReq.removeHeader('origin'))
      proxy.on('proxyReqWs', (proxyReq) => proxyReq.removeHeader('origin'))
    },
  })
  return { '/api': forward(), '/media': forward(), '/events': forward(true) }
}

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        input: mainEntries,
        external: NATIVE_DEPS.flatMap((dep) => [dep, new RegExp(`^${dep}/`)]),
        // Chunks sit next to the entries so `new URL('./inference-process.js', import.meta.url)`
        // resolves the same from any chunk.
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron'): bundle everything else into it.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [svelte(), devCsp()],
    server: { proxy: serverProxy() },
    build: {
      // electron-vite leaves the renderer unminified by default: the 1 MB bundle was ~40% of the
      // first grid paint's parse/compile time at 100,000 photos (browser mode loads it cold).
      minify: true,
      rolldownOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
})
