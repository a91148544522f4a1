/** Sets a crate's version in Cargo.lock: the `version` line of its [[package]] entry (local crates have no source). */
export function updateCargoLock(text: string, crate: string, version: string): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  let inPackage = false;
  let matches = false;
  let local = true;
  let versionLine = -1;
  const apply = () => {
    if (inPackage && matches && local && versionLine >= 0) lines[versionLine] = lines[versionLine]!.replace(/"[^"]*"/, `"${version}"`);
  };
  for (const [index, line] of lines.entries()) {
    if (/^\s*\[\[package\]\]/.test(line) || /^\s*\[/.test(line)) {
      apply();
      inPackage = /^\s*\[\[package\]\]/.test(line);
      matches = false;
      local = true;
      versionLine = -1;
      continue;
    }
    if (!inPackage) continue;
    const name = /^name\s*=\s*"([^"]+)"/.exec(line);
    if (name) matches = name[1] === crate;
    if (/^version\s*=/.test(line)) versionLine = index;
    if (/^source\s*=/.test(line)) local = false;
  }
  apply();
  return lines.join(newline);
}
