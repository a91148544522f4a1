/** The people of the demo organization: who writes code, who owns what, who signs off. */
export interface DemoPerson {
  readonly name: string;
  readonly email: string;
  readonly handle: string;
}

const person = (name: string, handle: string): DemoPerson => ({ name, email: `${handle}@fireproof.example`, handle: `@${handle}` });

export const PEOPLE = {
  /** Release manager: opens the releases (and so approves none of them). */
  priya: person('Priya Raman', 'priya'),
  /** Tech leads. Tess is the demo's tech-lead sign-in; Omar waived a notice period. */
  tess: person('Tess Okafor', 'tess'),
  omar: person('Omar Haddad', 'omar'),
  /** Owners of the modules (CODEOWNERS): Maria is the demo's module-owner sign-in. */
  maria: person('Maria Lopez', 'maria'),
  jonas: person('Jonas Berg', 'jonas'),
  /** Owners of the platform crates (CODEOWNERS). */
  noor: person('Noor Aziz', 'noor'),
  li: person('Li Wei', 'li'),
  /** Product and architecture. */
  pablo: person('Pablo Ruiz', 'pablo'),
  ari: person('Ari Cohen', 'ari'),
  /** An engineer who holds no role: the demo's engineer sign-in. */
  sam: person('Sam Taylor', 'sam'),
} as const;

/** The three people `shipgate demo` prints sign-in tokens for. */
export const SIGN_INS = [
  { label: 'tech lead', person: PEOPLE.tess },
  { label: 'module owner', person: PEOPLE.maria },
  { label: 'engineer', person: PEOPLE.sam },
] as const;
