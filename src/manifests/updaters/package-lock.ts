/**
 * Sets a package's version in a package-lock.json: the root entries ("version" and packages[""])
 * for the lock beside the package, or packages["<dir>"] in a workspace root's lock. npm writes locks
 * with JSON.stringify(…, 2) and a newline, so re-serialising keeps the file as npm would.
 */
export function updatePackageLockVersion(text: string, version: string, workspacePath: string | null): string {
  const lock = JSON.parse(text) as { version?: string; packages?: Record<string, { version?: string }> };
  if (workspacePath === null) {
    if (lock.version !== undefined) lock.version = version;
    const root = lock.packages?.[''];
    if (root && root.version !== undefined) root.version = version;
  } else {
    const entry = lock.packages?.[workspacePath];
    if (!entry) return text;
    entry.version = version;
  }
  const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return `${JSON.stringify(lock, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
}
