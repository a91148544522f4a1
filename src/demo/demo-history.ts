import { PEOPLE, type DemoPerson } from './demo-people.js';

/*
 * The demo repository's history as plain data: a few months of Conventional Commits by several people
 * in the policy's monorepo layout, the release commits and tags of the trains that already ran, and the
 * unreleased work the demo's release records are about. Pure: the time it ends at is given.
 */

export interface DemoCommit {
  readonly author: DemoPerson;
  readonly at: Date;
  readonly message: string;
  /** Files written by this commit (whole contents). */
  readonly files: Readonly<Record<string, string>>;
}

export interface DemoTag {
  readonly name: string;
  /** Index of the tagged commit in `commits`. */
  readonly commit: number;
  readonly at: Date;
  readonly message: string;
}

export interface DemoHistory {
  readonly commits: readonly DemoCommit[];
  readonly tags: readonly DemoTag[];
}

type Kind = 'module' | 'platform' | 'product';

interface Component {
  readonly name: string;
  readonly kind: Kind;
  readonly dir: string;
  version: string;
}

const COMPONENTS: readonly Omit<Component, 'version'>[] = [
  { name: 'billing', kind: 'module', dir: 'modules/billing' },
  { name: 'inventory', kind: 'module', dir: 'modules/inventory' },
  { name: 'customer', kind: 'module', dir: 'modules/customer' },
  { name: 'identity', kind: 'platform', dir: 'platform/identity' },
  { name: 'crypto', kind: 'platform', dir: 'platform/crypto' },
  { name: 'messaging', kind: 'platform', dir: 'platform/messaging' },
  { name: 'fireproof-erp', kind: 'product', dir: 'products/fireproof-erp' },
];

const FIRST_VERSIONS: Readonly<Record<string, string>> = { billing: '2.3.0', inventory: '1.6.2', customer: '3.0.1', identity: '1.4.0', crypto: '0.3.1', messaging: '0.9.0', 'fireproof-erp': '5.1.0' };

/** One line of the story: on day `day` (from the start), `who` commits `message` to `component`'s code. */
type Step = readonly [day: number, who: keyof typeof PEOPLE, component: string, message: string] | readonly [day: number, 'release', trainKind: Kind];

const STORY: readonly Step[] = [
  [2, 'maria', 'billing', 'feat(billing): credit notes for partial refunds'],
  [3, 'jonas', 'inventory', 'fix(inventory): stock count off by one after a return'],
  [4, 'noor', 'identity', 'feat(identity): WebAuthn passkeys as a second factor'],
  [6, 'sam', 'billing', 'fix(billing): round VAT per line, not per invoice'],
  [7, 'li', 'crypto', 'perf(crypto): reuse the HMAC key schedule'],
  [9, 'sam', 'customer', 'feat(customer): merge duplicate customer records'],
  [10, 'maria', 'billing', 'docs(billing): how dunning levels escalate'],
  [12, 'jonas', 'inventory', 'feat(inventory): reserve stock for open quotes'],
  [13, 'noor', 'messaging', 'fix(messaging): redeliver after a broker failover'],
  [15, 'pablo', 'fireproof-erp', 'feat(fireproof-erp): month-end close checklist'],
  [17, 'sam', 'customer', 'fix(customer): keep the VAT id when a record is merged'],
  [19, 'li', 'identity', 'fix(identity): session cookie kept its old expiry after refresh'],
  [21, 'maria', 'billing', 'test(billing): property tests for currency rounding'],
  [23, 'jonas', 'inventory', 'refactor(inventory): one query for the stock ledger'],
  [26, 'release', 'module'],
  [29, 'noor', 'identity', 'feat(identity): SCIM provisioning of groups'],
  [31, 'li', 'messaging', 'feat(messaging): dead-letter queue per topic'],
  [33, 'release', 'platform'],
  [35, 'sam', 'billing', 'fix(billing): invoice numbers skipped after a failed export'],
  [37, 'pablo', 'fireproof-erp', 'fix(fireproof-erp): dashboard totals in the tenant currency'],
  [40, 'release', 'product'],
  [41, 'maria', 'billing', 'feat(billing): SEPA direct debit mandates'],
  [43, 'jonas', 'customer', 'perf(customer): index the customer search by postcode'],
  [45, 'sam', 'inventory', 'fix(inventory): negative stock allowed by concurrent picks'],
  [47, 'li', 'crypto', 'fix(crypto): constant-time comparison of API keys'],
  [50, 'maria', 'customer', 'feat(customer): consent history per channel'],
  [52, 'release', 'module'],
  [54, 'noor', 'identity', 'fix(identity): lockout counter reset on a successful login'],
  [56, 'li', 'messaging', 'perf(messaging): batch acknowledgements'],
  [58, 'pablo', 'fireproof-erp', 'feat(fireproof-erp): purchase approvals by amount'],
  [61, 'release', 'platform'],
  [63, 'release', 'product'],
  // Unreleased since: what the demo's release records are about.
  [66, 'maria', 'billing', 'feat(billing): recurring invoices with proration'],
  [68, 'sam', 'billing', 'fix(billing): escape <b>bold</b> and <script>alert(1)</script> in PDF titles'],
  [69, 'noor', 'identity', 'feat(identity): OpenID Connect back-channel logout'],
  [70, 'noor', 'identity', 'docs(identity): back-channel logout for integrators'],
  [72, 'jonas', 'inventory', 'fix(inventory): lot numbers lost when a transfer is split'],
  [74, 'li', 'crypto', 'perf(crypto): parallel key derivation for bulk imports'],
  [75, 'sam', 'customer', 'fix(customer): customer portal returned other tenants\' addresses'],
  [77, 'li', 'messaging', 'feat(messaging): per-tenant rate limits'],
  [78, 'maria', 'billing', 'docs(billing): recurring invoices guide'],
  [80, 'pablo', 'fireproof-erp', 'feat(fireproof-erp): cash-flow forecast'],
  [81, 'jonas', 'inventory', 'docs(inventory): lot tracking across transfers'],
  [82, 'sam', 'customer', 'docs(customer): tenant isolation of the portal'],
  [83, 'tess', 'identity', 'chore: tidy the identity test fixtures'],
];

const DAY = 86_400_000;
const BUMPS = ['patch', 'minor', 'major'] as const;

/** Day 0 of the story (epoch ms): midnight UTC 86 days before the day of `end`. */
export function demoStart(end: Date): number {
  return Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate()) - 86 * DAY;
}

/** The story as commits and tags, ending shortly before `end`. */
export function buildDemoHistory(end: Date): DemoHistory {
  const start = demoStart(end);
  const components = COMPONENTS.map((c) => ({ ...c, version: FIRST_VERSIONS[c.name] as string }));
  const byName = new Map(components.map((c) => [c.name, c]));
  const commits: DemoCommit[] = [];
  const tags: DemoTag[] = [];
  const pending = new Map<string, (typeof BUMPS)[number]>();
  const changelog = new Map<string, string[]>();
  const at = (day: number, hour: number) => new Date(start + day * DAY + hour * 3_600_000);

  commits.push({ author: PEOPLE.priya, at: at(0, 9), message: 'chore: the Fireproof monorepo', files: { ...layoutFiles(components, end), ...manifestFiles(components) } });
  for (const component of components) tags.push({ name: tagName(component), commit: 0, at: at(0, 10), message: `Release ${component.name} v${component.version}` });
  tags.push({ name: 'platform/v3.1.0', commit: 0, at: at(0, 10), message: 'Platform release v3.1.0' });

  let platformMinor = 1;
  for (const [index, step] of STORY.entries()) {
    const [day] = step;
    if (step[1] === 'release') {
      const released = components.filter((c) => c.kind === step[2] && pending.has(c.name));
      if (released.length === 0) continue;
      for (const component of released) {
        component.version = bump(component.version, pending.get(component.name) ?? 'patch');
        pending.delete(component.name);
      }
      const files: Record<string, string> = manifestFiles(components);
      for (const component of released) files[`${component.dir}/CHANGELOG.md`] = changelogText(component, changelog.get(component.name) ?? []);
      commits.push({ author: PEOPLE.priya, at: at(day, 10), message: `chore(release): ${released.map((c) => `${c.name} v${c.version}`).join(', ')}`, files });
      for (const component of released) tags.push({ name: tagName(component), commit: commits.length - 1, at: at(day, 10), message: `Release ${component.name} v${component.version}` });
      if (step[2] === 'platform') {
        platformMinor += 1;
        tags.push({ name: `platform/v3.${platformMinor}.0`, commit: commits.length - 1, at: at(day, 10), message: `Platform release v3.${platformMinor}.0` });
      }
      continue;
    }
    const [, who, name, message] = step;
    const component = byName.get(name) as Component;
    const type = /^(\w+)/.exec(message)?.[1] ?? 'chore';
    const level = type === 'feat' ? 'minor' : ['fix', 'perf'].includes(type) ? 'patch' : null;
    if (level !== null) {
      const before = pending.get(name);
      if (before === undefined || BUMPS.indexOf(level) > BUMPS.indexOf(before)) pending.set(name, level);
      changelog.set(name, [...(changelog.get(name) ?? []), message]);
    }
    const files = changeFiles(component, index, message);
    // Documentation work brings the component's CHANGELOG up to date for its next release.
    if (type === 'docs') files[`${component.dir}/CHANGELOG.md`] = changelogText(component, changelog.get(name) ?? [], 'Unreleased');
    commits.push({ author: PEOPLE[who], at: at(day, 9 + (index % 8)), message, files });
  }
  return { commits, tags };
}

function tagName(component: Component): string {
  return component.kind === 'platform' ? `platform-${component.name}-v${component.version}` : `${component.name}/v${component.version}`;
}

function bump(version: string, level: (typeof BUMPS)[number]): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  if (level === 'major') return `${major + 1}.0.0`;
  if (level === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** What one commit changes: a source file for code, a page under docs/ for docs, a test file for tests. */
function changeFiles(component: Component, index: number, message: string): Record<string, string> {
  const subject = message.replace(/^[^:]+:\s*/, '');
  const slug = subject.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  if (message.startsWith('docs')) return { [`docs/${component.name}/${slug}.md`]: `# ${subject}\n\nWritten for the ${component.name} ${component.kind}.\n` };
  if (component.kind === 'platform') return { [`${component.dir}/src/${slug.replace(/-/g, '_')}.rs`]: `// ${subject}\npub fn change_${index}() -> u32 {\n    ${index}\n}\n` };
  const folder = message.startsWith('test') ? 'test' : 'src';
  return { [`${component.dir}/${folder}/${slug}.js`]: `// ${subject}\nexport const change${index} = ${index};\n` };
}

function changelogText(component: Component, entries: readonly string[], heading = component.version): string {
  return `# ${component.name}\n\n## ${heading}\n\n${entries.map((entry) => `- ${entry.replace(/[<>]/g, '')}`).join('\n')}\n`;
}

function layoutFiles(components: readonly Component[], end: Date): Record<string, string> {
  const files: Record<string, string> = {
    '.gitignore': 'node_modules/\ntarget/\n.shipgate/\nreports/\n',
    'README.md': '# Fireproof\n\nThe Fireproof ERP monorepo: npm modules, Rust platform crates and the product that bundles them. Released by shipgate.\n',
    '.github/CODEOWNERS': ['*                 @priya', '/modules/         @maria @jonas', '/platform/        @noor @li', '/products/        @pablo @maria', ''].join('\n'),
    'platform/Cargo.toml': `[workspace]\nmembers = [${components.filter((c) => c.kind === 'platform').map((c) => `"${c.name}"`).join(', ')}]\nresolver = "2"\n`,
    'shipgate.yaml': policyYaml(end),
  };
  for (const component of components) {
    const code = component.kind === 'platform' ? `${component.dir}/src/lib.rs` : `${component.dir}/src/index.js`;
    files[code] = component.kind === 'platform' ? `//! ${component.name}\npub fn version() -> &'static str {\n    env!("CARGO_PKG_VERSION")\n}\n` : `export const name = '${component.name}';\n`;
  }
  return files;
}

/** Every manifest, at the components' current versions (a release commit rewrites them). */
function manifestFiles(components: readonly Component[]): Record<string, string> {
  const files: Record<string, string> = {};
  const modules = components.filter((c) => c.kind === 'module');
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const product = components.find((c) => c.kind === 'product') as Component;
  const productDependencies = Object.fromEntries(modules.map((m) => [`@fireproof/${m.name}`, `^${m.version}`]));
  files['package.json'] = json({ name: 'fireproof', private: true, workspaces: ['modules/*', 'products/*'] });
  files['package-lock.json'] = json({
    name: 'fireproof',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'fireproof', workspaces: ['modules/*', 'products/*'] },
      ...Object.fromEntries(modules.map((m) => [m.dir, { name: `@fireproof/${m.name}`, version: m.version }])),
      ...Object.fromEntries(modules.map((m) => [`node_modules/@fireproof/${m.name}`, { resolved: m.dir, link: true }])),
      [product.dir]: { name: product.name, version: product.version, dependencies: productDependencies },
    },
  });
  for (const m of modules) files[`${m.dir}/package.json`] = json({ name: `@fireproof/${m.name}`, version: m.version, private: true });
  files[`${product.dir}/package.json`] = json({ name: product.name, version: product.version, private: true, dependencies: productDependencies });
  const crates = components.filter((c) => c.kind === 'platform');
  for (const crate of crates) {
    const deps = crate.name === 'identity' ? `\n[dependencies]\ncrypto = { path = "../crypto", version = "${crates.find((c) => c.name === 'crypto')?.version ?? '0.0.0'}" }\n` : '';
    files[`${crate.dir}/Cargo.toml`] = `[package]\nname = "${crate.name}"\nversion = "${crate.version}"\nedition = "2021"\n${deps}`;
  }
  files['platform/Cargo.lock'] = `# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n${crates
    .map((c) => `\n[[package]]\nname = "${c.name}"\nversion = "${c.version}"\n${c.name === 'identity' ? 'dependencies = [\n "crypto",\n]\n' : ''}`)
    .join('')}`;
  return files;
}

/** The demo's committed policy: the built-in one with the organization's people in its roles and the coming year-end blackout. */
export function policyYaml(end: Date): string {
  const year = end.getUTCMonth() === 0 && end.getUTCDate() <= 4 ? end.getUTCFullYear() - 1 : end.getUTCFullYear();
  return `# The Fireproof release policy: the built-in policy (RELEASE-POLICY.md) with our people in its roles.
organization: Fireproof
blackouts:
  - { name: Year-end change freeze, from: ${year}-12-21, to: ${year + 1}-01-04, action: next }
roles:
  tech-lead: { members: ["${PEOPLE.tess.email}", "${PEOPLE.omar.email}"] }
  product-team: { members: ["${PEOPLE.pablo.email}"] }
  architecture-review: { members: ["${PEOPLE.ari.email}"] }
identity:
  handles:
${Object.values(PEOPLE)
  .map((p) => `    "${p.handle}": ["${p.email}"]`)
  .join('\n')}
`;
}
