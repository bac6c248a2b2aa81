/**
 * The page a browser gets instead of the app when it has no session: a short explanation of where
 * the link with the token is (the terminal that ran `constella serve`). No script; its one inline
 * style is allowed by hash.
 */
import { createHash } from 'node:crypto'

const STYLE = [
  ':root{color-scheme:light dark;font:16px/1.5 system-ui,sans-serif}',
  'body{max-width:36rem;margin:12vh auto;padding:0 1.5rem}',
  'h1{font-size:1.4rem;margin:0 0 .75rem}',
  'code{font:0.95em ui-monospace,monospace;padding:.1em .3em;border-radius:4px;background:rgba(127,127,127,.18)}',
  'p{margin:.6rem 0}',
].join('')

const styleHash = createHash('sha256').update(STYLE, 'utf8').digest('base64')

/** The CSP of the login page: nothing but its own inline style. */
export const LOGIN_PAGE_CSP = `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

/** Why the page is shown: no session at all, or a link whose token is not this server's. */
export type LoginReason = 'no-session' | 'bad-token'

/** The HTML of the page. */
export function loginPageHtml(reason: LoginReason): string {
  const lead =
    reason === 'bad-token'
      ? 'This link is not valid for the Constella server running now. Each start makes a new link, so a link from an earlier start no longer works.'
      : 'This Constella server only opens for the person who started it.'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Constella: open the link from your terminal</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Open the link printed by <code>constella serve</code></h1>
<p>${lead}</p>
<p>In the terminal where you ran <code>constella serve</code> (or <code>npm run serve</code>), open the line
<code>Constella is serving http://127.0.0.1:…/?token=…</code>. Your browser then keeps the session until it closes.</p>
</body>
</html>
`
}
