/**
 * Cargo.toml edits that keep comments, spacing and key order: the [package] version, and the version
 * requirement of path dependencies on crates being released (so `cargo publish` sees a matching
 * version). Line-based on purpose: TOML serialisers reformat files, and a release must not.
 */
const TABLE = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$/;
const DEPENDENCY_TABLES = /^(?:target\.(?:'[^']*'|"[^"]*"|[^.]+)\.)?(?:workspace\.)?(?:dev-|build-)?dependencies$/;

export function updateCargoToml(text: string, version: string | null, dependencies: ReadonlyMap<string, string>): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  let table = '';
  const pathTables = tablesWithPath(text);
  const lines = text.split(/\r?\n/).map((line) => {
    const header = TABLE.exec(line);
    if (header && !line.trim().startsWith('[[')) {
      table = header[1]!.replace(/\s+/g, '');
      return line;
    }
    if (table === 'package' && version !== null && /^\s*version\s*=/.test(line)) return replaceString(line, 'version', version);
    if (DEPENDENCY_TABLES.test(table)) {
      const entry = /^\s*([\w-]+|"[^"]+")\s*=\s*\{(.*)\}/.exec(line);
      if (!entry) return line;
      const name = /package\s*=\s*"([^"]+)"/.exec(entry[2]!)?.[1] ?? entry[1]!.replace(/"/g, '');
      const next = dependencies.get(name);
      // Only path dependencies are crates of this repository; a registry crate keeps its requirement.
      return next !== undefined && /\bpath\s*=/.test(entry[2]!) && /\bversion\s*=/.test(entry[2]!) ? replaceString(line, 'version', next, true) : line;
    }
    const dotted = /^(?:target\..+\.)?(?:dev-|build-)?dependencies\.([\w-]+)$/.exec(table);
    if (dotted && pathTables.has(table) && /^\s*version\s*=/.test(line)) {
      const next = dependencies.get(dotted[1]!);
      if (next !== undefined) return replaceString(line, 'version', next, true);
    }
    return line;
  });
  return lines.join(newline);
}

function tablesWithPath(text: string): Set<string> {
  const tables = new Set<string>();
  let table = '';
  for (const line of text.split(/\r?\n/)) {
    const header = TABLE.exec(line);
    if (header) table = header[1]!.replace(/\s+/g, '');
    else if (/^\s*path\s*=/.test(line)) tables.add(table);
  }
  return tables;
}

/** Replaces the string value of `key` in a line, keeping a requirement operator (^, ~, =, >=) when asked. */
function replaceString(line: string, key: string, version: string, keepOperator = false): string {
  const pattern = new RegExp(`(\\b${key}\\s*=\\s*)(["'])([^"']*)\\2`);
  return line.replace(pattern, (_all, prefix: string, quote: string, old: string) => {
    const operator = keepOperator ? (/^\s*(\^|~|=|>=|<=|>|<)?/.exec(old)?.[1] ?? '') : '';
    return `${prefix}${quote}${operator}${version}${quote}`;
  });
}
