/**
 * Headless Chromium for e2e tests: Debian's `chromium` driven by playwright-core (no browser
 * download). Install it with `apt-get install -y chromium`, or point $CHROMIUM_PATH elsewhere.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Where the browser binary is expected. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Features turned off. New headless Chromium (Debian's 156) preloads the omnibox popup WebUIs
 * (chrome://omnibox-popup.top-chrome) for every window: one more renderer, which took ~0.7 s of
 * CPU during each cold load of the app on 2 cores and slowed what the tests and bench/ui time.
 * Chromium keeps only the last --disable-features switch and Playwright passes its own, so its
 * list (playwright-core 1.65, chromiumSwitches.ts) is repeated here.
 */
export const DISABLED_FEATURES: readonly string[] = [
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  // Playwright's
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
]

/** Flags for a quiet, sandbox-free headless run in containers and CI. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
]

/**
 * True when the browser binary is installed; tests skip without it, saying why. Under CI
 * (`CI=true`) a missing browser is an error instead: CI must never skip the e2e tests silently.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true
  if (process.env.CI === 'true') throw new Error(`CI=true but no Chromium at ${CHROMIUM_PATH}: .ci/run installs it (apt-get install -y chromium)`)
  console.warn(`skipping browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`)
  return false
}

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`)
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
}
