/**
 * What to do next, as data: the core says which action and with what, each interface words it (the
 * CLI as a command line, the server as an API call, the dashboard as a button). Actions that a
 * person does outside shipgate (write a report, fix a test) carry what they need to be described.
 */
export type NextStep =
  /** `count` more members of `role` approve; `role` null: anyone whose approval the release asks for. */
  | { readonly action: 'approve'; readonly args: { readonly release: string; readonly role: string | null; readonly count: number } }
  /** The gate has no evidence source: a person who may waive says why it is met. */
  | { readonly action: 'waive'; readonly args: { readonly release: string; readonly gate: string } }
  /** Announce the release and record it; the notice period of `days` starts then. */
  | { readonly action: 'notice'; readonly args: { readonly release: string; readonly days: number } }
  /** Nothing to do but wait until `until` (ISO time), `days` from now. */
  | { readonly action: 'wait'; readonly args: { readonly until: string; readonly days: number } }
  | { readonly action: 'postmortem'; readonly args: { readonly release: string } }
  /** Point the release at another candidate commit. */
  | { readonly action: 'candidate'; readonly args: { readonly release: string } }
  | { readonly action: 'check'; readonly args: { readonly release: string } }
  | { readonly action: 'show-release'; readonly args: { readonly release: string } }
  | { readonly action: 'list-releases'; readonly args: Readonly<Record<string, never>> }
  | { readonly action: 'create-release'; readonly args: { readonly component: string | null; readonly type: 'scheduled' | 'hotfix' | 'emergency' } }
  | { readonly action: 'check-policy'; readonly args: { readonly file: string } }
  /** CI writes the report (junit, sarif) or someone commits the file (file, changed-files) that proves `what`. */
  | {
      readonly action: 'provide-evidence';
      readonly args: { readonly kind: 'junit' | 'sarif' | 'file' | 'changed-files'; readonly what: string; readonly patterns: readonly string[] };
    }
  /** The policy names no evidence for the gate: add it to the checklist, or waive the gate. */
  | { readonly action: 'configure-evidence'; readonly args: Readonly<Record<string, never>> }
  /** `failed` names the first failing tests; `more` failed besides them. */
  | { readonly action: 'fix-tests'; readonly args: { readonly failed: readonly string[]; readonly more: number } }
  /** The reports of `what` hold no test case: make the tests run. */
  | { readonly action: 'run-tests'; readonly args: { readonly what: string } }
  | { readonly action: 'fix-findings'; readonly args: { readonly level: 'error' | 'warning' | 'note' } }
  /** Deploy the release to an environment: its smoke tests and analysis are the evidence. */
  | { readonly action: 'deploy'; readonly args: { readonly release: string; readonly environment: string } }
  /** A person signs off a post-release item. */
  | { readonly action: 'signoff'; readonly args: { readonly release: string; readonly gate: string; readonly role: string | null } }
  /** The migration guard's own steps, already in words. */
  | { readonly action: 'fix-migrations'; readonly args: { readonly steps: readonly string[] } };

export type NextAction = NextStep['action'];
