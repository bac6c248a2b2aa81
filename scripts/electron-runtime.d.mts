/** The Electron executable when it is installed (without downloading it), else null. */
export function electronRuntime(root?: string): string | null
